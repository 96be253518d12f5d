"""Domain layer of the ordering context."""
