"""The Litestar HTTP API: composition root, controllers, middleware."""
