"""Ids no other test or run uses: tables and collections are shared by the whole session."""

from __future__ import annotations

import uuid


def unique_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"
