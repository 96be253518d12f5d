"""Budgets per route and method, read from one compact configuration string.

Grammar (entries separated by ``;``, spaces around entries ignored)::

    entry    = selector "=" quota "/" window *( "," option )
    selector = "*"                    the default budget (required, exactly once)
             | METHOD " " "*"         every route of one method, e.g. ``POST *``
             | METHOD " " ROUTE       one route template, e.g. ``POST /v1/holds``
    window   = digits ( "s" | "m" | "h" | "d" )      e.g. ``1s``, ``60s``, ``15m``
    option   = "sliding-window" | "token-bucket"     counting rule (default sliding-window)
             | "fail-open" | "fail-closed"           when Redis is down (default fail-open)

Example: ``POST /v1/oauth/token=10/60s,fail-closed;POST *=120/60s;*=600/60s``.

A request gets the budget of its method and route template, else of its method,
else the default. The policy is named after its selector (``"POST /v1/holds"``,
``"POST *"``, ``"default"``); that name is what ``RateLimit-Policy`` shows.
Each route keeps its own counters even when it shares a ``METHOD *`` budget,
because the route is part of the key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from lml_ratelimit.policy import Algorithm, FailurePolicy, Policy

# Budgets are per organisation (per IP on public routes). At an on-sale one organisation's
# buyers hold, extend, release and watch availability thousands of times a second, so the
# on-sale routes get a per-second token bucket; other writes stay strict.
DEFAULT_BUDGETS = (
    "POST /v1/oauth/token=10/60s,fail-closed;"
    "POST /v1/holds=2000/1s,token-bucket;"
    "PATCH /v1/holds/{hold_id}=2000/1s,token-bucket;"
    "DELETE /v1/holds/{hold_id}=2000/1s,token-bucket;"
    "GET /v1/events/{event_id}/availability=2000/1s,token-bucket;"
    # Stripe's deliveries, per client address (the route is public): generous, since
    # Stripe sends from few addresses and retries what we refuse.
    "POST /v1/webhooks/stripe=600/1s,token-bucket;"
    "POST *=300/60s;PUT *=300/60s;PATCH *=300/60s;DELETE *=300/60s;"
    "*=3000/60s"
)
ANY = "*"
DEFAULT_NAME = "default"
RATE = re.compile(r"(?P<quota>[0-9]+)/(?P<count>[0-9]+)(?P<unit>[smhd])")
METHOD = re.compile(r"[A-Z]+")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400}
ALGORITHMS = {
    "sliding-window": Algorithm.SLIDING_WINDOW,
    "token-bucket": Algorithm.TOKEN_BUCKET,
}
FAILURE_POLICIES = {"fail-open": FailurePolicy.OPEN, "fail-closed": FailurePolicy.CLOSED}


class InvalidBudgets(ValueError):
    """The budget configuration string cannot be read; the message names the entry."""


@dataclass(frozen=True, slots=True)
class Budgets:
    default: Policy
    by_method: Mapping[str, Policy]
    by_route: Mapping[tuple[str, str], Policy]

    @classmethod
    def parse(cls, text: str) -> Budgets:
        default: Policy | None = None
        by_method: dict[str, Policy] = {}
        by_route: dict[tuple[str, str], Policy] = {}
        for entry in filter(None, (part.strip() for part in text.split(";"))):
            selector, policy = _entry(entry)
            if selector is None:
                taken = default is not None
                default = policy
            elif selector[1] == ANY:
                taken = selector[0] in by_method
                by_method[selector[0]] = policy
            else:
                taken = selector in by_route
                by_route[selector] = policy
            if taken:
                raise InvalidBudgets(f"budget {entry!r}: {policy.name!r} is given twice")
        if default is None:
            raise InvalidBudgets("budgets need a default entry such as '*=600/60s'")
        return cls(default, by_method, by_route)

    def policy_for(self, method: str, route: str) -> Policy:
        """The budget for a method and route template (not the raw path)."""
        method = method.upper()
        return self.by_route.get((method, route)) or self.by_method.get(method) or self.default


def _entry(entry: str) -> tuple[tuple[str, str] | None, Policy]:
    selector_text, equals, rate_text = entry.partition("=")
    if not equals:
        raise InvalidBudgets(f"budget {entry!r}: expected <selector>=<quota>/<window>")
    selector = _selector(entry, selector_text.strip())
    name = DEFAULT_NAME if selector is None else " ".join(selector)
    rate, *options = (part.strip() for part in rate_text.split(","))
    matched = RATE.fullmatch(rate)
    if matched is None:
        raise InvalidBudgets(
            f"budget {entry!r}: expected <quota>/<window> such as 20/1s or 600/60s"
        )
    algorithm, on_backend_error = _options(entry, options)
    try:
        policy = Policy(
            name=name,
            quota=int(matched["quota"]),
            window_seconds=int(matched["count"]) * UNIT_SECONDS[matched["unit"]],
            algorithm=algorithm,
            on_backend_error=on_backend_error,
        )
    except ValueError as error:
        raise InvalidBudgets(f"budget {entry!r}: {error}") from error
    return selector, policy


def _selector(entry: str, text: str) -> tuple[str, str] | None:
    if text == ANY:
        return None
    parts = text.split()
    if len(parts) != 2 or not METHOD.fullmatch(parts[0].upper()):
        raise InvalidBudgets(
            f"budget {entry!r}: expected '*', '<METHOD> *' or '<METHOD> <route template>'"
        )
    method, route = parts[0].upper(), parts[1]
    if route != ANY and not route.startswith("/"):
        raise InvalidBudgets(f"budget {entry!r}: a route template starts with '/'")
    return method, route


def _options(entry: str, options: list[str]) -> tuple[Algorithm, FailurePolicy]:
    algorithms = [ALGORITHMS[option] for option in options if option in ALGORITHMS]
    failures = [FAILURE_POLICIES[option] for option in options if option in FAILURE_POLICIES]
    for option in options:
        if option not in ALGORITHMS and option not in FAILURE_POLICIES:
            known = ", ".join([*ALGORITHMS, *FAILURE_POLICIES])
            raise InvalidBudgets(f"budget {entry!r}: unknown option {option!r}; known: {known}")
    if len(algorithms) > 1 or len(failures) > 1:
        raise InvalidBudgets(f"budget {entry!r}: options contradict each other")
    return (
        algorithms[0] if algorithms else Algorithm.SLIDING_WINDOW,
        failures[0] if failures else FailurePolicy.OPEN,
    )
