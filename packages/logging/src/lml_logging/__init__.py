"""JSON-lines logging with request context."""
