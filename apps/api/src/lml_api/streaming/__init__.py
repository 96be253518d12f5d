"""Server-sent events: the availability stream's wire format and its fan-out."""
