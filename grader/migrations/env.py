"""Alembic's entry point for the gradebook's migrations.

Run two ways:

- by :func:`grader.gradebook.upgrade`, which passes an open connection (inside its own
  transaction and lock) as ``config.attributes["connection"]``;
- by the ``alembic`` command with ``-c grader/migrations/alembic.ini`` (adding a
  revision): the database is ``-x db=URL`` if given, else a scratch SQLite file brought
  to the current head first, so ``revision --autogenerate`` writes only what the code's
  tables add.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa
from alembic import context

from grader.migrations import target_metadata

metadata = target_metadata()
config = context.config


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things: batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _scratch_at_head() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'scratch.db'}"
        # Upgraded by opening it, in another process: Alembic's `context` is one global,
        # so a second migration run cannot nest inside this one.
        opened = f"from grader.gradebook import Gradebook; Gradebook({url!r}).close()"
        subprocess.run([sys.executable, "-c", opened], check=True)
        engine = sa.create_engine(url)
        try:
            with engine.begin() as connection:
                _run(connection)
        finally:
            engine.dispose()


given = config.attributes.get("connection")
if given is not None:
    _run(given)
elif context.get_x_argument(as_dictionary=True).get("db"):
    _engine = sa.create_engine(context.get_x_argument(as_dictionary=True)["db"])
    with _engine.begin() as _connection:
        _run(_connection)
    _engine.dispose()
else:
    _scratch_at_head()
