"""Application layer of the catalog context."""
