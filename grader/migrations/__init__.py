"""The gradebook's schema migrations (Alembic), shipped inside the package.

:func:`grader.gradebook.upgrade` runs them when a gradebook is opened, so nobody calls
``alembic`` by hand to use one; ``probstats gradebook upgrade`` does it explicitly and
says what it applied. To add a revision after changing the tables in code::

    .venv/bin/alembic -c grader/migrations/alembic.ini revision --autogenerate -m "what changed"

which compares the tables in :data:`grader.gradebook.metadata` (defined by the modules in
:data:`TABLE_MODULES`) with a scratch SQLite database upgraded to the current head, and
writes ``versions/<date>_<rev>_what_changed.py`` (lint-fixed by ruff) to review and commit.
``tests/grader/test_migrations.py`` fails while a table in code has no revision.
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa

__all__ = ["TABLE_MODULES", "target_metadata"]

#: The modules that define tables on :data:`grader.gradebook.metadata`. A module that
#: adds tables joins this list, so autogenerate and the tests see them.
TABLE_MODULES = ("grader.gradebook",)


def target_metadata() -> sa.MetaData:
    """The gradebook's metadata with the tables of every module in :data:`TABLE_MODULES`."""
    for name in TABLE_MODULES:
        importlib.import_module(name)
    from grader.gradebook import metadata

    return metadata
