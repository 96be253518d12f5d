"""Infrastructure layer of the ordering context."""
