"""Baseline: the gradebook as it was before Alembic (students, attempts, submissions).

Revision ID: 0001
Revises:
Create Date: 2026-12-01

Creates the three tables on an empty database. On a gradebook made before Alembic (no
``alembic_version`` table) it creates only what is missing and adds the two nullable
columns the old ``migrate()`` added (``submissions.params``, ``generator_version``), so
every row stays as it was.

The tables are written out here, not taken from ``grader.gradebook``: a revision freezes
the schema as it was, while the code's tables move on (a later revision changes them).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Added to ``submissions`` after the first release; NULL in rows stored before.
_LATER_COLUMNS = (("params", sa.Text), ("generator_version", sa.Integer))


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    present = set(inspector.get_table_names())
    if "students" not in present:
        op.create_table(
            "students",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
    if "attempts" not in present:
        op.create_table(
            "attempts",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("student_id", sa.String(64), sa.ForeignKey("students.id"), nullable=False),
            sa.Column("source", sa.String(512), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("n_graded", sa.Integer, nullable=False),
            sa.Column("errors", sa.Text, nullable=False),
        )
    if "submissions" not in present:
        op.create_table(
            "submissions",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=False),
            sa.Column("student_id", sa.String(64), sa.ForeignKey("students.id"), nullable=False),
            sa.Column("exercise_id", sa.String(128), nullable=False),
            sa.Column("answer", sa.Text, nullable=False),
            sa.Column("seed", sa.BigInteger, nullable=False),
            sa.Column("params", sa.Text, nullable=True),
            sa.Column("generator_version", sa.Integer, nullable=True),
            sa.Column("score", sa.Float, nullable=False),
            sa.Column("points", sa.Float, nullable=False),
            sa.Column("max_points", sa.Float, nullable=False),
            sa.Column("misconception", sa.String(128), nullable=True),
            sa.Column("feedback", sa.Text, nullable=False),
            sa.Column("source", sa.String(512), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
    else:
        columns = {c["name"] for c in inspector.get_columns("submissions")}
        for name, kind in _LATER_COLUMNS:
            if name not in columns:
                # ADD COLUMN of a nullable column: portable, and old rows read NULL.
                op.add_column("submissions", sa.Column(name, kind(), nullable=True))
    indexes = set() if "submissions" not in present else {i["name"] for i in inspector.get_indexes("submissions")}
    if "ix_submissions_student_exercise" not in indexes:
        op.create_index("ix_submissions_student_exercise", "submissions", ["student_id", "exercise_id"])


def downgrade() -> None:
    op.drop_index("ix_submissions_student_exercise", table_name="submissions")
    op.drop_table("submissions")
    op.drop_table("attempts")
    op.drop_table("students")
