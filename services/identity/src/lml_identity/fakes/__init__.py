"""Fakes layer of the identity context."""
