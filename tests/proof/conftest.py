import pytest

from tests.proof.servers import PrivatePostgres, PrivateRedis


@pytest.fixture
def private_redis():
    """A Redis of this test's own (never the shared one), which it may stop and start."""
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def private_postgres():
    """A PostgreSQL cluster of the session's own (initdb in a temporary folder)."""
    server = PrivatePostgres()
    server.start()
    yield server
    server.destroy()
