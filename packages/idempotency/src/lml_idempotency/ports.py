"""The idempotency store port: every transition is atomic in the store itself."""

from __future__ import annotations

from typing import Protocol

from lml_idempotency.keys import IdempotencyScope, Lease
from lml_idempotency.outcomes import BeginOutcome, StoredResponse

DAY_SECONDS = 86_400.0


class IdempotencyStore(Protocol):
    """Leases and stored responses per idempotency scope.

    Implementations raise ``lml_result.DependencyUnavailable`` when their backend
    cannot be reached, and ``ValueError`` for a non-positive duration.
    """

    async def begin(
        self, scope: IdempotencyScope, fingerprint: str, lease_seconds: float
    ) -> BeginOutcome:
        """Lease a free scope, or say who has it: in flight, completed, or another request.

        A lease that is neither renewed nor finished expires, freeing the scope.
        """
        ...

    async def renew(self, lease: Lease, lease_seconds: float) -> bool:
        """Extend the lease to ``lease_seconds`` from now; False unless the token holds it."""
        ...

    async def complete(
        self, lease: Lease, response: StoredResponse, ttl_seconds: float = DAY_SECONDS
    ) -> bool:
        """Store the response for replay for ``ttl_seconds``; False unless the token holds it."""
        ...

    async def release(self, lease: Lease) -> bool:
        """Free the scope at once (after a 5xx); False unless the token holds it."""
        ...
