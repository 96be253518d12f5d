"""Domain layer of the identity context."""
