"""Fakes layer of the ordering context."""
