"""Issue and verify access tokens."""
