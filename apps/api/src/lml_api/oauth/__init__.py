"""The OAuth 2.0 token endpoint (RFC 6749): form in, token or RFC 6749 error out."""
