"""Domain layer of the catalog context."""
