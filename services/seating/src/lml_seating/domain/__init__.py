"""Domain layer of the seating context."""
