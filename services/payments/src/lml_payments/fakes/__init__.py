"""Fakes layer of the payments context."""
