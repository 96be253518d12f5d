"""Application layer of the ordering context."""
