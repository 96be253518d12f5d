"""Fakes layer of the catalog context."""
