"""Infrastructure layer of the seating context."""
