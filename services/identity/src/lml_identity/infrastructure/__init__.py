"""Infrastructure layer of the identity context."""
