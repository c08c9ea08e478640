"""The hosted-course subcommands: ``roster import|tokens``, ``secret new`` and ``serve``.

Kept apart from :mod:`grader.cli` (the local subcommands), which adds these parsers and
commands to its own.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from datetime import timedelta
from pathlib import Path

from grader.access import (
    DEFAULT_TOKEN_LIFETIME,
    get_member,
    issue_tokens,
    list_members,
    revoke_token,
    token_holders,
)
from grader.files import write_inside
from grader.gradebook import DB_ENV, Gradebook
from grader.hosted import check_hosted_startup
from grader.plugins import load_exercises
from grader.roster import import_roster
from grader.secret_strength import new_secret
from grader.variants import course_secret

__all__ = ["HOSTED_COMMANDS", "add_hosted_parsers"]

_DB_HELP = "SQLAlchemy URL of the gradebook (default: $PROBSTATS_DB or ./gradebook.db)"


def add_hosted_parsers(sub: argparse._SubParsersAction) -> None:
    """Add ``roster`` and ``secret`` to the ``probstats`` subcommand parsers."""
    roster = sub.add_parser("roster", help="a hosted course's roster and login tokens")
    actions = roster.add_subparsers(dest="roster_command", required=True, metavar="ACTION")
    p = actions.add_parser("import", help="add or update members from a CSV (id,name,email,role)")
    p.add_argument("file", metavar="FILE.csv", help="the roster; role is student or instructor")
    p.add_argument("--db", help=_DB_HELP)
    p = actions.add_parser(
        "tokens",
        help="issue personal login tokens (to members without a valid one, or to --student)",
        description=(
            "Issue personal login tokens and print them as CSV (id,name,email,role,token). Without "
            "--student, every member lacking a valid token gets one; --student re-issues (the old "
            "token stops working). Only a hash is stored: write the output somewhere safe."
        ),
    )
    p.add_argument("--out", metavar="FILE", help="write the CSV to FILE (readable by you only) instead of stdout")
    p.add_argument("--student", action="append", metavar="ID", help="(re-)issue for this member (repeatable)")
    p.add_argument("--revoke", action="append", metavar="ID", help="revoke this member's token (repeatable)")
    p.add_argument("--days", type=int, default=DEFAULT_TOKEN_LIFETIME.days, metavar="N",
                   help=f"days until the tokens expire (default {DEFAULT_TOKEN_LIFETIME.days}; 0: never)")
    p.add_argument("--db", help=_DB_HELP)

    p = sub.add_parser(
        "serve",
        help="serve a hosted course's HTTP API (FastAPI on uvicorn)",
        description=(
            "Serve the API (/api/v1/health, sheet, submissions, gradebook.csv) with personal login tokens. "
            "Refuses to start with a weak PROBSTATS_COURSE_SECRET or a plugin load error. Behind a reverse "
            "proxy on this machine, the client address comes from X-Forwarded-For. On a PostgreSQL "
            "gradebook, code answers are queued for probstats worker processes (the POST answers 202, "
            "GET /api/v1/submissions/JOB shows grading, then the result); PROBSTATS_CODE_QUEUE=off grades "
            "them in this server's own sandbox pool."
        ),
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default: 1)")
    p.add_argument("--db", help=_DB_HELP)
    p.add_argument("--log-level", choices=("critical", "error", "warning", "info", "debug"), default="info",
                   help="uvicorn's log level (default: info)")
    p.add_argument("--access-log", action=argparse.BooleanOptionalAction, default=True,
                   help="log every request (default: on)")

    secret = sub.add_parser("secret", help="make a strong course secret")
    actions = secret.add_subparsers(dest="secret_command", required=True, metavar="ACTION")
    actions.add_parser("new", help="print a new random secret (256 bits) for PROBSTATS_COURSE_SECRET")


def _roster(args: argparse.Namespace) -> int:
    book = Gradebook(args.db)
    try:
        if args.roster_command == "import":
            done = import_roster(book, args.file)
            print(f"{args.file}: {len(done.added)} added, {len(done.updated)} updated, "
                  f"{len(done.unchanged)} unchanged")
            return 0
        return _tokens(book, args)
    finally:
        book.close()


def _tokens(book: Gradebook, args: argparse.Namespace) -> int:
    if args.days < 0:
        raise ValueError(f"--days must be 0 (never expire) or more; got {args.days}")
    lifetime = timedelta(days=args.days) if args.days else None
    for member_id in args.revoke or []:
        was = revoke_token(book, member_id)
        print(f"revoked the token of {member_id}" if was else f"{member_id} held no valid token", file=sys.stderr)
    if args.revoke and not args.student:
        return 0
    if args.student:
        chosen = [get_member(book, m) for m in args.student]
    else:
        holders = token_holders(book)
        chosen = [m for m in list_members(book) if m.id not in holders]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "name", "email", "role", "token"])
    tokens = issue_tokens(book, [m.id for m in chosen], lifetime=lifetime)
    for member, token in zip(chosen, tokens, strict=True):
        writer.writerow([member.id, member.name, member.email, member.role, token])
    if args.out:
        out = Path(args.out)
        write_inside(out.parent, out.name, buffer.getvalue(), mode=0o600)
        print(f"wrote {len(chosen)} token(s) to {out}", file=sys.stderr)
    else:
        sys.stdout.write(buffer.getvalue())
    return 0


def _secret(args: argparse.Namespace) -> int:
    print(new_secret())
    return 0


def _serve(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise ValueError(f"--workers must be at least 1; got {args.workers}")
    if not 0 < args.port < 65536:
        raise ValueError(f"--port must be in 1..65535; got {args.port}")
    check_hosted_startup(course_secret(), load_exercises())
    if args.db:
        os.environ[DB_ENV] = args.db  # the worker processes read it
    # Create or upgrade the tables once, before several workers would race to.
    Gradebook().close()
    import uvicorn  # here: the other subcommands do not need the server

    uvicorn.run(
        "grader.api:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        access_log=args.access_log,
    )
    return 0


#: The hosted-course subcommands, by name.
HOSTED_COMMANDS = {"roster": _roster, "secret": _secret, "serve": _serve}
