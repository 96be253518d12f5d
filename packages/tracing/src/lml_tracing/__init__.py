"""OpenTelemetry API spans for requests, use cases and drivers."""
