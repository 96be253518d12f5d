"""Infrastructure layer of the catalog context."""
