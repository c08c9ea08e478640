"""Identity and access: roster members, login tokens, failed logins, idempotency keys.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

The tables a hosted course needs (:mod:`grader.access`, :mod:`grader.roster`, the API's
idempotency keys). A gradebook that already has one of them (made by a build that
created them before this revision) keeps it: only missing tables are created.
Written out here, not taken from ``grader.gradebook``, so the revision stays frozen.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    present = set(sa.inspect(op.get_bind()).get_table_names())
    if "members" not in present:
        op.create_table(
            "members",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("name", sa.String(256), nullable=False),
            sa.Column("email", sa.String(320), nullable=False, unique=True),
            sa.Column("role", sa.String(16), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
    if "login_tokens" not in present:
        op.create_table(
            "login_tokens",
            sa.Column("member_id", sa.String(64), sa.ForeignKey("members.id"), primary_key=True),
            sa.Column("selector", sa.String(32), nullable=False, unique=True),
            sa.Column("verifier_hash", sa.String(64), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        )
    if "login_failures" not in present:
        op.create_table(
            "login_failures",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("client", sa.String(128), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
        op.create_index("ix_login_failures_client_time", "login_failures", ["client", "created_at"])
    if "idempotency_keys" not in present:
        op.create_table(
            "idempotency_keys",
            sa.Column("member_id", sa.String(64), sa.ForeignKey("members.id"), primary_key=True),
            sa.Column("key", sa.String(128), primary_key=True),
            sa.Column("request_hash", sa.String(64), nullable=False),
            sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=False),
            sa.Column("response", sa.Text, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_index("ix_login_failures_client_time", table_name="login_failures")
    op.drop_table("login_failures")
    op.drop_table("login_tokens")
    op.drop_table("members")
