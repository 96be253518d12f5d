"""The password policy: long enough to resist guessing, bounded so hashing stays cheap to refuse."""

from __future__ import annotations

from lml_identity.domain.errors import WeakPassword
from lml_result import Err, Ok, Result

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024


def check_password(password: str) -> Result[None, WeakPassword]:
    """Accept passwords of 12 to 1024 characters; no composition rules (NIST SP 800-63B)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return Err(WeakPassword(reason="too_short"))
    if len(password) > MAX_PASSWORD_LENGTH:
        return Err(WeakPassword(reason="too_long"))
    return Ok(None)
