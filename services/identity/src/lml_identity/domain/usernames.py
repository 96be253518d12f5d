"""Usernames compare case-insensitively and by Unicode compatibility: store them normalised."""

from __future__ import annotations

import unicodedata

from lml_identity.domain.errors import InvalidUsername
from lml_result import Err, Ok, Result

MAX_USERNAME_LENGTH = 254  # room for an e-mail address used as a username


def normalise_username(username: str) -> Result[str, InvalidUsername]:
    """NFKC, case-folded, trimmed: "Alice", " ALICE " and its full-width form are one username.

    Case folding can undo NFKC for some characters, so NFKC is applied again after
    it; trimming comes last because NFKC turns some spaces (no-break space) into
    ones that ``strip`` removes.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())
    normalised = folded.strip()
    if not normalised:
        return Err(InvalidUsername(reason="empty"))
    if len(normalised) > MAX_USERNAME_LENGTH:
        return Err(InvalidUsername(reason="too_long"))
    if any(unicodedata.category(char) == "Cc" for char in normalised):
        return Err(InvalidUsername(reason="control_character"))
    return Ok(normalised)
