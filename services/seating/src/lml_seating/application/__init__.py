"""Application layer of the seating context."""
