"""Fakes layer of the seating context."""
