"""The grader tests' databases, and the plugin corpus kept out of collection.

The plugin corpus holds deliberately broken plugin files: never collect or import them.
``book`` is a fresh gradebook on SQLite and, as a second parameter, on PostgreSQL
(``PROBSTATS_TEST_POSTGRES_URL``, which ``.ci/run`` sets; without it the PostgreSQL half
skips, and fails under CI).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from grader import Gradebook

collect_ignore_glob = ["plugin_corpus/*"]


def postgres_url() -> str:
    """The PostgreSQL test database that .ci/run starts; its absence fails under CI."""
    url = os.environ.get("PROBSTATS_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("PROBSTATS_TEST_POSTGRES_URL is not set under CI: .ci/run should start PostgreSQL")
        pytest.skip("no PostgreSQL here: set PROBSTATS_TEST_POSTGRES_URL (.ci/run starts one)")
    return url


def fresh_schema_url(prefix: str) -> str:
    """A URL of the test database whose ``search_path`` is a new, empty schema.

    The schema is ``<prefix>_<xdist worker>``, dropped and made again, so each test
    starts empty and parallel workers never share one.
    """
    url = postgres_url()
    schema = f"{prefix}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    options = {"options": f"-csearch_path={schema}"}
    return sa.make_url(url).update_query_dict(options).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Gradebook]:
    """A fresh gradebook: an SQLite file, or an empty PostgreSQL schema."""
    url = f"sqlite:///{tmp_path / 'gb.db'}" if request.param == "sqlite" else fresh_schema_url("gb")
    gradebook = Gradebook(url)
    yield gradebook
    gradebook.close()
