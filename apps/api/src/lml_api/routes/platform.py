"""Probes, service status and the problem-type descriptions.

Metrics name tenants, so they are not served here but on their own loopback listener
(``LML_METRICS_HOST``:``LML_METRICS_PORT``, see ``lml_cli.serving``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.metadata import version

import msgspec
from litestar import Response, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath

from lml_api.access import PUBLIC
from lml_api.container import Container
from lml_api.problems import CATALOGUE, ProblemError, ProblemType
from lml_api.rate_limiting import UNLIMITED
from lml_api.readiness import Readiness

SERVICE_VERSION = version("lml-api")


class Liveness(msgspec.Struct, frozen=True):
    status: str


class ServiceStatus(msgspec.Struct, frozen=True):
    service: str
    version: str
    environment: str
    server_time: datetime
    started_at: datetime


@get("/livez", summary="The process is up", opt=PUBLIC | UNLIMITED)
async def livez() -> Liveness:
    return Liveness(status="ok")


@get(
    "/readyz",
    summary="Every dependency answers (503 with a per-check body when not)",
    opt=PUBLIC | UNLIMITED,
)
async def readyz(state: State) -> Response[Readiness]:
    readiness: Readiness = await state.readiness.current()
    return Response(readiness, status_code=200 if readiness.ready else 503)


@get(
    "/v1/status",
    summary="Service version and server time (never cached)",
    cache_control=None,
    response_headers={"Cache-Control": "no-store"},
    opt=PUBLIC,
)
async def status(container: NamedDependency[Container], state: State) -> ServiceStatus:
    return ServiceStatus(
        service="lml",
        version=SERVICE_VERSION,
        environment=container.settings.env,
        server_time=datetime.now(UTC),
        started_at=state.started_at,
    )


@get("/problems/{slug:str}", summary="What a problem type means", opt=PUBLIC | UNLIMITED)
async def problem_type(slug: FromPath[str]) -> ProblemType:
    if slug not in CATALOGUE:
        raise ProblemError("not-found", f"There is no problem type {slug!r}.")
    return CATALOGUE[slug]


ROUTES = [livez, readyz, status, problem_type]
