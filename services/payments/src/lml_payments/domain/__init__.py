"""Domain layer of the payments context."""
