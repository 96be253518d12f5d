"""The lml command."""
