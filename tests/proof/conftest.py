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


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Fields, calendar and the SIPAS questionnaire, back after an earlier transactional
    test flushed the database (every proof test that touches the database commits)."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("transactional_db")
        from tests.factories import reload_reference_data

        reload_reference_data()
