"""The process Prometheus registry and HTTP metrics."""
