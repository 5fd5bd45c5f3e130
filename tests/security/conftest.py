"""A production server over 10,000 synthetic agreements, as the review attacked it."""

import pytest

from tests.helpers import gunicorn, manage, scratch_database

EXTRA = 10_000


@pytest.fixture(scope="module")
def crowded_server(tmp_path_factory):
    """gunicorn in production settings on a database of the kind under test, holding the
    curated data and 10,000 synthetic agreements: (base URL, server log)."""
    tmp_path = tmp_path_factory.mktemp("crowded")
    with scratch_database(tmp_path) as database_url:
        manage(database_url, "migrate", "--no-input", "--verbosity", "0")
        manage(database_url, "load_curated", "--verbosity", "0")
        manage(database_url, "synthetic", "--count", str(EXTRA), "--seed", "11")
        with gunicorn(database_url, tmp_path) as served:
            yield served
