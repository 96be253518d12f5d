import pytest
from psycopg_pool import AsyncConnectionPool

from lml_result import DependencyUnavailable
from lml_tenancy import with_tenant

UNREACHABLE = "host=127.0.0.1 port=1 dbname=lml connect_timeout=2"


@pytest.mark.parametrize("tenant_id", ["", "   "])
async def test_given_an_empty_tenant_id_when_entering_then_it_is_rejected_before_any_io(
    tenant_id: str,
) -> None:
    never_opened = AsyncConnectionPool(UNREACHABLE, open=False)

    with pytest.raises(ValueError, match="tenant_id"):
        async with with_tenant(never_opened, tenant_id):
            pass


async def test_given_an_unreachable_server_when_entering_then_postgresql_is_unavailable() -> None:
    pool = AsyncConnectionPool(UNREACHABLE, open=False, min_size=1, timeout=0.3)
    await pool.open(wait=False)
    try:
        with pytest.raises(DependencyUnavailable) as raised:
            async with with_tenant(pool, "tenant-a"):
                pass
    finally:
        await pool.close()

    assert raised.value.dependency == "postgresql"
