import pytest
from django.db import transaction


@pytest.fixture
def fixtures_committed():
    """Call it after the fixtures: their writes count as committed, as they would be long before a request.

    A pytest-django test runs in one transaction that never commits, so the fixtures' pending cache bumps
    (one per tenant and transaction, sinergi.maps.office) would absorb the bumps of the changes under test.
    This runs them and takes them off the pending list.
    """
    from sinergi.maps import office

    def settle() -> None:
        connection = transaction.get_connection()
        pending = [entry for entry in connection.run_on_commit if isinstance(entry[1], office._Bump)]
        connection.run_on_commit = [entry for entry in connection.run_on_commit if entry not in pending]
        for _sids, func, _robust in pending:
            func()

    return settle
