"""Write gradebook_v0.json: the gradebook schema as main made it before Alembic.

Run once, with the pre-Alembic grader first on the path (the commit before migrations)::

    PYTHONPATH=/path/to/pre-alembic/checkout python tests/data/make_gradebook_v0.py

It compiles that grader's tables (``metadata.create_all`` plus the columns its
``migrate()`` added) to CREATE statements for SQLite and PostgreSQL, so the upgrade test
builds exactly that database without the old code. ``older`` leaves out the two columns
``migrate()`` used to add, as in a file from the first release.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

import grader.gradebook as old

ADDED = ("params", "generator_version")


def statements(dialect: sa.Dialect, *, older: bool) -> list[str]:
    out = []
    for table in old.metadata.sorted_tables:
        create = str(CreateTable(table).compile(dialect=dialect)).strip()
        if older:  # one column per line: drop the lines of the columns added later
            create = "\n".join(
                line for line in create.splitlines() if line.strip().split(" ", 1)[0] not in ADDED
            )
        out.append(create)
        out.extend(str(CreateIndex(index).compile(dialect=dialect)).strip() for index in table.indexes)
    return out


def main() -> None:
    assert hasattr(old, "migrate"), "run this with the pre-Alembic grader on PYTHONPATH"
    data = {
        "made_from": "grader/gradebook.py of main at 9f625a7, the last commit before Alembic",
        "today": {"sqlite": statements(sqlite.dialect(), older=False),
                  "postgresql": statements(postgresql.dialect(), older=False)},
        "older": {"sqlite": statements(sqlite.dialect(), older=True),
                  "postgresql": statements(postgresql.dialect(), older=True)},
    }
    target = Path(__file__).with_name("gradebook_v0.json")
    target.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
