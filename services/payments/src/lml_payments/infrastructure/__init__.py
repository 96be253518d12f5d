"""Infrastructure layer of the payments context."""
