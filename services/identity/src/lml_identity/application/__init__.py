"""Application layer of the identity context."""
