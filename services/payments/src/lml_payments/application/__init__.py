"""Application layer of the payments context."""
