"""JSON-lines logging that carries the request's context and never a secret."""

from lml_logging.context import LogContext, bind, current, update
from lml_logging.json_lines import JsonLinesFormatter, configure_logging
from lml_logging.redaction import redact

__all__ = [
    "JsonLinesFormatter",
    "LogContext",
    "bind",
    "configure_logging",
    "current",
    "redact",
    "update",
]
