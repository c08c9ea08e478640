"""The test databases: an SQLite file, or a fresh schema in the PostgreSQL that .ci/run starts.

``PROBSTATS_TEST_POSTGRES_URL`` names the PostgreSQL database; without it the PostgreSQL
tests skip, and fail under ``CI=true``. Each test gets empty tables: a schema of its
own, named after the xdist worker and a tag, is dropped and created again.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from tests.ci import skip_or_fail_in_ci

__all__ = ["POSTGRES_ENV", "fresh_postgres_url", "gradebook_url", "postgres_url"]

POSTGRES_ENV = "PROBSTATS_TEST_POSTGRES_URL"


def postgres_url() -> str:
    """The PostgreSQL test database; skip without one (fail under CI)."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        skip_or_fail_in_ci(
            f"no PostgreSQL here: set {POSTGRES_ENV} (.ci/run starts one)",
            ".ci/run should start PostgreSQL",
        )
    assert url is not None  # skip_or_fail_in_ci raises
    return url


def fresh_postgres_url(tag: str) -> str:
    """A URL whose ``search_path`` is a new, empty schema ``<tag>_<xdist worker>``."""
    url = postgres_url()
    schema = f"{tag}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    options = {"options": f"-csearch_path={schema}"}
    return sa.make_url(url).update_query_dict(options).render_as_string(hide_password=False)


def gradebook_url(kind: str, tmp_path: Path, tag: str) -> str:
    """An empty gradebook's URL: ``kind`` is ``"sqlite"`` (a file in ``tmp_path``) or ``"postgresql"``."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'gradebook.db'}"
    if kind == "postgresql":
        return fresh_postgres_url(tag)
    raise ValueError(f"`kind` must be 'sqlite' or 'postgresql'; got {kind!r}")
