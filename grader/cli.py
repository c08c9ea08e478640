"""The grader's subcommands of the ``probstats`` command line (also ``python -m grader``).

Subcommands: ``exercises``, ``sheet``, ``grade``, ``gradebook``, ``course``, ``check``,
``plugins``, ``new-exercise``, ``worker`` (hosted mode: code-grading jobs from
PostgreSQL); for a hosted course ``sheet --server`` and ``submit`` (the remote CLI,
:mod:`grader.remote`), and ``roster``, ``secret``, ``serve`` (:mod:`grader.cli_hosted`);
``dashboard`` belongs to the top-level ``probstats`` package (the layer
above grader and dashboard), and ``python -m grader dashboard`` says so. Those that
print data take ``--json``. Exit status: 0 when all went well, 1 when something needs
attention (a load error, a bad part of a submission, a failed check), 2 for a usage
error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from grader.canvas import export_canvas_csv
from grader.checks import run_checks
from grader.cli_hosted import HOSTED_COMMANDS, add_hosted_parsers
from grader.course import current_course
from grader.exercise import Exercise
from grader.files import (
    DEFAULT_MAX_BYTES,
    MAX_BYTES_ENV,
    FileRefused,
    max_bytes_from_env,
    read_bounded,
    write_inside,
)
from grader.golden import DEFAULT_GOLDEN_PATH, read_golden, write_golden
from grader.gradebook import Gradebook, current_revision, display_url
from grader.ids import check_student_id
from grader.plugins import Registry, UnknownExercise, load_exercises
from grader.remote import (
    SERVER_ENV,
    TOKEN_ENV,
    fetch_sheet,
    server_and_token,
    submit,
    wait_for_grading,
)
from grader.scaffold import ScaffoldError, write_plugin_package
from grader.sheet import sheet_bundle
from grader.submissions import (
    GradedSubmission,
    SubmissionFileError,
    decode_submission,
    grade_submission,
    inline_code_files,
    read_submission,
)
from grader.variants import SECRET_ENV

__all__ = ["COMMANDS", "Command", "build_parser", "main", "run"]

#: A subcommand: its parsed arguments in, the exit status out.
Command = Callable[[argparse.Namespace], int]


def build_parser(dashboard_help: str = "serve the dashboard (streamlit run)") -> argparse.ArgumentParser:
    """The argument parser of ``probstats`` (``dashboard_help`` describes that subcommand)."""
    parser = argparse.ArgumentParser(
        prog="probstats", description="ProbStats Lab: exercises, personal variants, grading."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("exercises", help="list the exercises")
    p.add_argument("--topic", help="only this topic")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser(
        "sheet",
        help="write a student's personal problem sheet and answer template",
        description=(
            "Write sheet-<id>.md and answers-<id>.<format>. Locally with --student (needs the course "
            f"secret); from a hosted course with --server and --token (or ${SERVER_ENV} and ${TOKEN_ENV}): "
            "the server makes your own sheet and you never need the secret."
        ),
    )
    p.add_argument("--student", help="the student id (local mode)")
    p.add_argument("--server", help=f"a hosted course's URL (default: ${SERVER_ENV})")
    p.add_argument("--token", help=f"your personal login token (default: ${TOKEN_ENV})")
    p.add_argument("--out-dir", default=".", help="where to write the files (default: .)")
    p.add_argument("--format", choices=("toml", "json"), default="toml", help="answer template format")
    p.add_argument("--exercise", action="append", metavar="ID", help="only these exercises (repeatable)")
    p.add_argument("--json", action="store_true", help="print the sheet, template and variants as JSON")

    p = sub.add_parser("grade", help="grade submission files and store them in the gradebook")
    p.add_argument("files", nargs="+", metavar="FILE", help=".toml or .json submission files")
    p.add_argument("--student", help="the student id, for files that do not name one")
    p.add_argument("--db", help="SQLAlchemy URL of the gradebook (default: $PROBSTATS_DB or ./gradebook.db)")
    p.add_argument("--no-store", action="store_true", help="grade without storing")
    p.add_argument("--allow-missing", action="store_true",
                   help="store grades even though a plugin failed to load (its exercises are missing)")
    p.add_argument("--max-bytes", type=int, metavar="N",
                   help=f"refuse files larger than N bytes (default: ${MAX_BYTES_ENV} or {DEFAULT_MAX_BYTES:,})")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: when stderr is a terminal)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser(
        "submit",
        help="send submission files to a hosted course to be graded and stored",
        description=(
            "Send .toml or .json submission files to a hosted course (probstats serve); each is graded "
            "by the server and stored as you. A broken connection is retried with the same idempotency "
            "key, so a file is never stored twice. Code answers given as { file = \"x.py\" } are read from "
            "the submission's folder (never outside it) and sent with it. Code answers that the server "
            "queues for its workers are waited for (see --wait) and shown once graded."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE", help=".toml or .json submission files")
    p.add_argument("--wait", type=float, default=120.0, metavar="SECONDS",
                   help="how long to wait for queued code answers to be graded (default: 120); "
                        "past it they are reported as still grading and the exit status is 1")
    p.add_argument("--server", help=f"the course's URL (default: ${SERVER_ENV})")
    p.add_argument("--token", help=f"your personal login token (default: ${TOKEN_ENV})")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("gradebook", help="show, export or upgrade the gradebook")
    p.add_argument("action", nargs="?", choices=("show", "upgrade"), default="show",
                   help="show (default): scores, or the CSV export; "
                        "upgrade: bring the database's schema to the newest revision and say what ran")
    p.add_argument("--db", help="SQLAlchemy URL of the gradebook")
    p.add_argument("--csv", metavar="PATH", help="write CSV to PATH ('-' for stdout)")
    p.add_argument("--long", action="store_true", help="CSV: a row per submission (default: a row per student)")
    p.add_argument("--canvas", action="store_true",
                   help="CSV: Canvas's gradebook import format (Student, ID, SIS User ID, SIS Login ID, "
                        "Section, a column per exercise, a Points Possible row)")
    p.add_argument("--json", action="store_true", help="print best and latest scores as JSON")

    p = sub.add_parser("course", help="show the course rules (course.toml) as they apply to each exercise")
    p.add_argument("--topic", help="only this topic")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("check", help="check exercises over many variants")
    p.add_argument("--variants", type=int, default=20, metavar="N", help="variants per exercise (default 20)")
    p.add_argument("--exercise", action="append", metavar="ID", help="only these exercises (repeatable)")
    p.add_argument("--golden", metavar="PATH", default=str(DEFAULT_GOLDEN_PATH),
                   help="golden variants to compare generators with (default: the committed file)")
    p.add_argument("--update-golden", action="store_true",
                   help="rewrite the golden variants from the current generators, then check")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("plugins", help="list plugins, their hooks, exercises and load errors")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("new-exercise", help="write a plugin package with one exercise and a test")
    p.add_argument("name", metavar="NAME", help="topic name of the new package, e.g. my_topic")
    p.add_argument("--dir", default=".", help="parent folder of the package (default: .)")

    p = sub.add_parser(
        "worker",
        help="hosted course: take code-grading jobs from the PostgreSQL queue",
        description=(
            "Take code-grading jobs from the queue in the course's PostgreSQL and run them in warm "
            "bubblewrap sandboxes: the code answers that probstats serve and the hosted Exercises page "
            "queued are graded and stored in the gradebook, once per job. Needs the same "
            "PROBSTATS_COURSE_SECRET (and course file) as probstats serve and the dashboard."
        ),
    )
    p.add_argument("--db", help="PostgreSQL URL of the course (default: $PROBSTATS_DB)")
    p.add_argument("--concurrency", type=int, metavar="N", help="jobs at a time (default: one per core)")
    p.add_argument("--heartbeat", type=float, default=10.0, metavar="SECONDS",
                   help="seconds between heartbeats; a worker silent for four is taken for dead "
                        "and its jobs run again elsewhere (default 10)")

    add_hosted_parsers(sub)

    p = sub.add_parser("dashboard", help=dashboard_help)
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="passed on to streamlit")
    return parser


def run(
    argv: Sequence[str] | None,
    commands: Mapping[str, Command],
    parser: argparse.ArgumentParser,
) -> int:
    """Parse ``argv`` with ``parser`` and run the chosen command; return the exit status."""
    args, extra = parser.parse_known_args(argv)
    if args.command == "dashboard":
        args.streamlit_args = [*extra, *args.streamlit_args]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    handler = commands[args.command]
    try:
        return handler(args)
    except (UnknownExercise, ScaffoldError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m grader``: every subcommand but ``dashboard``; return the exit status."""
    parser = build_parser("(use `probstats dashboard`)")
    return run(argv, {**COMMANDS, "dashboard": _no_dashboard}, parser)


def _no_dashboard(args: argparse.Namespace) -> int:
    print("error: the dashboard is served by `probstats dashboard` (or `python -m probstats dashboard`)",
          file=sys.stderr)
    return 2


# -- commands --------------------------------------------------------------------------


def _exercises(args: argparse.Namespace) -> int:
    registry = _registry()
    chosen = [e for e in registry.exercises.values() if args.topic in (None, e.topic)]
    if args.json:
        _print_json([_describe_exercise(registry, e) for e in chosen])
    else:
        rows = [[e.id, f"{e.points:g}", type(e.answer).kind, e.title] for e in chosen]
        _print_table(["id", "points", "answer", "title"], rows)
    return _load_status(registry)


def _sheet(args: argparse.Namespace) -> int:
    if args.server or args.token or (os.environ.get(SERVER_ENV) and args.student is None):
        if args.student is not None:
            raise ValueError("--student is for local mode; the server knows you from your token")
        server, token = server_and_token(args.server, args.token)
        bundle = fetch_sheet(server, token, fmt=args.format, exercises=args.exercise)
        status = 0
    else:
        if args.student is None:
            raise ValueError(f"--student is required (or --server and --token for a hosted course, or ${SERVER_ENV})")
        student = check_student_id(args.student, "--student")
        registry = _registry()
        _warn_default_secret()
        bundle = sheet_bundle(_select(registry, args.exercise), student, fmt=args.format)
        status = _load_status(registry)
    if args.json:
        _print_json(bundle)
        return status
    # The id rule keeps both names plain file names; write_inside refuses symlinks.
    student = check_student_id(bundle["student_id"])
    for name, text in ((f"sheet-{student}.md", bundle["sheet"]), (f"answers-{student}.{args.format}", bundle["template"])):
        print(f"wrote {write_inside(args.out_dir, name, text)}")
    return status


def _submit(args: argparse.Namespace) -> int:
    server, token = server_and_token(args.server, args.token)
    results: list[dict[str, Any]] = []
    file_errors: list[str] = []
    for path in args.files:
        suffix = Path(path).suffix.lower()
        try:
            if suffix not in (".toml", ".json"):
                raise ValueError(f"{path}: unsupported file type {suffix or '(none)'!r}; use .toml or .json")
            data, fmt = _with_code_files(Path(path), read_bounded(path, max_bytes_from_env()), suffix[1:])
            sent = submit(server, token, data, fmt=fmt, source=Path(path).name)
            results.append(wait_for_grading(server, token, sent, wait=args.wait))
        except (FileRefused, ValueError) as exc:  # RemoteError is a ValueError
            if getattr(exc, "status", None) in (401, 403, 429):
                raise  # the token is refused: every further file would be too
            file_errors.append(str(exc))
    if args.json:
        _print_json({"files": results, "file_errors": file_errors})
    else:
        for result in results:
            _print_feedback(result)
    for message in file_errors:
        print(f"error: {message}", file=sys.stderr)
    for result in results:
        if result.get("grading"):
            print(f"error: {result['grading_message']}", file=sys.stderr)
    return 1 if file_errors or any(r["errors"] or r.get("grading") for r in results) else 0


def _with_code_files(path: Path, data: bytes, fmt: str) -> tuple[bytes, str]:
    """The submission to send: as read, or as JSON with its ``{ file = "x.py" }`` answers read in."""
    try:
        decoded = decode_submission(data, fmt, source=str(path))
    except SubmissionFileError:
        return data, fmt  # the server says what is wrong with it, as for any file
    answers = decoded.get("answers") if isinstance(decoded, Mapping) else None
    if not isinstance(answers, Mapping) or not any(isinstance(a, Mapping) and "file" in a for a in answers.values()):
        return data, fmt
    inlined = {**decoded, "answers": inline_code_files(answers, path.parent, max_bytes_from_env())}
    try:
        return json.dumps(inlined).encode("utf-8"), "json"
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{path}: cannot send this file as JSON: {exc}") from None


def _grade(args: argparse.Namespace) -> int:
    registry = _registry()
    _warn_default_secret()
    max_bytes = max_bytes_from_env() if args.max_bytes is None else args.max_bytes
    if max_bytes < 1:
        raise ValueError(f"--max-bytes must be at least 1; got {max_bytes}")
    if registry.errors and not (args.no_store or args.allow_missing):
        print(
            f"error: {len(registry.errors)} plugin problem(s) (above), so some exercises may be missing; "
            "nothing was graded or stored. Fix the plugin, or pass --allow-missing to store anyway "
            "(or --no-store to grade only).",
            file=sys.stderr,
        )
        return 1
    book = None if args.no_store else Gradebook(args.db)
    show_progress = sys.stderr.isatty() if args.progress is None else args.progress
    results: list[GradedSubmission] = []
    file_errors: list[str] = []
    try:
        for done, path in enumerate(args.files, start=1):
            # One file's failure, whatever it is, is reported and the batch goes on.
            try:
                submission = read_submission(path, student_id=args.student, max_bytes=max_bytes)
                results.append(grade_submission(submission, registry, gradebook=book))
            except (SubmissionFileError, FileRefused) as exc:
                file_errors.append(str(exc))
            except Exception as exc:
                file_errors.append(f"{path}: not graded: {type(exc).__name__}: {exc}")
            if show_progress:
                _progress(done, len(args.files), sys.stderr)
    finally:
        if book is not None:
            book.close()
    if show_progress:
        print(file=sys.stderr)
    part_errors = sum(len(r.errors) + len(r.observer_errors) for r in results)
    if args.json:
        _print_json({"files": [r.to_dict() for r in results], "file_errors": file_errors})
    elif len(args.files) == 1 and results:
        _print_feedback(results[0].to_dict())
    else:
        rows = [
            [r.source, r.student_id, _points(r.to_dict()), str(len(r.feedback)), str(len(r.errors))]
            for r in results
        ]
        _print_table(["file", "student", "points", "graded", "errors"], rows)
        for r in results:
            for error in r.errors:
                print(f"{r.source}: {error}")
    for message in file_errors:
        print(f"error: {message}", file=sys.stderr)
    for r in results:
        for observer_error in r.observer_errors:
            print(f"warning: {observer_error}", file=sys.stderr)
    return 1 if file_errors or part_errors else _load_status(registry)


def _gradebook(args: argparse.Namespace) -> int:
    if args.canvas and (args.long or not args.csv):
        raise ValueError("--canvas is a CSV format: give --csv PATH, and not --long")
    if args.action == "upgrade":
        return _gradebook_upgrade(args)
    book = Gradebook(args.db)
    try:
        if args.csv:
            target: str | TextIO = sys.stdout if args.csv == "-" else args.csv
            if args.canvas:
                export_canvas_csv(book, target)
            else:
                book.export_csv(target, long=args.long)
            if args.csv != "-":
                print(f"wrote {args.csv}")
            return 0
        scores = book.best_scores()
        if args.json:
            _print_json([vars(s) for s in scores])
            return 0
        rows = [
            [s.student_id, s.exercise_id, str(s.attempts), f"{s.best_points:g}", f"{s.latest_points:g}", f"{s.max_points:g}"]
            for s in scores
        ]
        _print_table(["student", "exercise", "attempts", "best", "latest", "max"], rows)
        return 0
    finally:
        book.close()


def _gradebook_upgrade(args: argparse.Namespace) -> int:
    # Opening a gradebook upgrades it; this says which revisions ran.
    book = Gradebook(args.db)
    try:
        revision = current_revision(book.engine)
        if args.json:
            _print_json({"applied": book.upgraded, "revision": revision})
        else:
            done = f"applied {', '.join(book.upgraded)}" if book.upgraded else "already current"
            print(f"gradebook {display_url(book.url)}: {done}; now at {revision}")
        return 0
    finally:
        book.close()


def _course(args: argparse.Namespace) -> int:
    course = current_course()
    registry = _registry()
    # A table naming nothing loaded is almost always a typo in course.toml.
    unknown = [f"topics.{t}" for t in course.topics if t not in registry.topics()]
    unknown += [f'exercises."{e}"' for e in course.exercises if e not in registry.exercises]
    rows: list[dict[str, Any]] = []
    for e in registry.exercises.values():
        if args.topic not in (None, e.topic):
            continue
        r = course.rules_for(e.id)
        rows.append({
            "exercise_id": e.id,
            "due": None if r.due is None else r.due.isoformat(),
            "attempts": r.attempts,
            "late": r.late,
            **{f"reveal_{k}": v for k, v in r.reveal.items()},
            "source": dict(r.source),
        })
    header = {
        "path": None if course.path is None else str(course.path),
        "mode": course.mode,
        "secret_source": course.secret_source,
        "uses_default_secret": course.uses_default_secret,
        "unknown": unknown,
    }
    if args.json:
        _print_json({**header, "exercises": rows})
    else:
        print(f"course file: {course.path or '(none: local defaults)'}; mode {course.mode}; "
              f"secret from {course.secret_source}")
        table = [
            [r["exercise_id"], r["due"] or "", "" if r["attempts"] is None else str(r["attempts"]), str(r["late"]),
             r["reveal_answers"], r["reveal_scores"], r["reveal_links"]]
            for r in rows
        ]
        _print_table(["exercise", "due", "attempts", "late", "answers", "scores", "links"], table)
    for name in unknown:
        print(f"warning: course.toml [{name}] matches no loaded exercise or topic", file=sys.stderr)
    _warn_default_secret()
    return 1 if unknown else _load_status(registry)


def _check(args: argparse.Namespace) -> int:
    if args.variants < 1:
        raise ValueError(f"--variants must be >= 1; got {args.variants}")
    registry = _registry()
    if args.update_golden:
        chosen = _select(registry, args.exercise)
        count = write_golden(args.golden, chosen, keep_others=bool(args.exercise))
        print(f"wrote the golden variants of {count} exercise(s) to {args.golden}", file=sys.stderr)
    golden = read_golden(args.golden)
    report = run_checks(registry, exercise_ids=args.exercise, n_variants=args.variants, golden=golden)
    for note in report.notes:
        print(note, file=sys.stderr)
    if args.json:
        _print_json(report.to_dict())
    else:
        print(report.to_text())
    return 0 if report.ok else 1


def _plugins(args: argparse.Namespace) -> int:
    registry = load_exercises()
    infos = sorted(registry.plugins.values(), key=lambda i: i.name)
    if args.json:
        _print_json([vars(i) for i in infos])
    else:
        rows = [
            [i.name, i.source, i.version or "", ", ".join(i.hooks), str(len(i.exercises)), "; ".join(i.errors)]
            for i in infos
        ]
        _print_table(["plugin", "source", "version", "hooks", "exercises", "errors"], rows)
    return 1 if registry.errors else 0


def _new_exercise(args: argparse.Namespace) -> int:
    folder = write_plugin_package(args.name, Path(args.dir))
    print(f"wrote {folder}")
    print(f"install it with: pip install -e {folder}")
    print("then: probstats exercises  (and probstats check)")
    return 0


#: The grader's subcommands (the top-level ``probstats`` package adds ``dashboard``).
def _worker(args: argparse.Namespace) -> int:
    from grader.gradebook import DB_ENV
    from grader.queue import run_worker  # Procrastinate is needed by this command alone

    url = args.db or os.environ.get(DB_ENV)
    if not url:
        raise ValueError(f"probstats worker needs the course's PostgreSQL URL: --db or ${DB_ENV}")
    try:
        run_worker(url, concurrency=args.concurrency, heartbeat=args.heartbeat)
    except KeyboardInterrupt:
        pass
    return 0


COMMANDS: dict[str, Command] = {
    "exercises": _exercises,
    "sheet": _sheet,
    "grade": _grade,
    "gradebook": _gradebook,
    "course": _course,
    "check": _check,
    "plugins": _plugins,
    "new-exercise": _new_exercise,
    "worker": _worker,
    "submit": _submit,
    **HOSTED_COMMANDS,
}


# -- helpers ---------------------------------------------------------------------------


def _registry() -> Registry:
    registry = load_exercises()
    for error in registry.errors:
        print(f"warning: {error}", file=sys.stderr)
    return registry


def _load_status(registry: Registry) -> int:
    return 1 if registry.errors else 0


def _select(registry: Registry, ids: list[str] | None) -> list[Exercise]:
    if not ids:
        return list(registry.exercises.values())
    return [registry.get(i) for i in ids]


def _warn_default_secret() -> None:
    if current_course().uses_default_secret:
        print(
            f"warning: no course secret is set (course.toml or {SECRET_ENV}); using the insecure default secret",
            file=sys.stderr,
        )


def _describe_exercise(registry: Registry, e: Exercise) -> dict[str, Any]:
    return {
        "id": e.id,
        "title": e.title,
        "topic": e.topic,
        "points": e.points,
        "answer": type(e.answer).kind,
        "misconceptions": [m.name for m in e.misconceptions],
        "plugin": registry.owner(e.id),
        "dashboard": e.dashboard.page if e.dashboard else None,
    }


def _print_feedback(result: Mapping[str, Any]) -> None:
    """Print a graded submission (:meth:`GradedSubmission.to_dict`, or the API's answer)."""
    print(f"{result['source']} ({result['student_id']}): {_points(result)} points")
    for f in result["feedback"]:
        withheld = "scores" in f.get("withheld", ())
        shown = "score withheld" if withheld else f"{f['points']:g}/{f['max_points']:g}"
        print(f"  {f['exercise_id']}: {shown}. {f['message']}")
        for part in f["parts"]:
            if part["part"] != "answer":
                # The message says more than the verdict word only when they differ.
                same = part["message"].lower().rstrip(".") == part["verdict"]
                detail = "" if same else f" ({part['message']})"
                print(f"    {part['part']}: {part['verdict']}{detail}")
        if f.get("expected") is not None:
            print(f"    expected: {json.dumps(f['expected'])}")
        if f.get("link") is not None:
            print(f"    see it move: dashboard page {f['link']}")
    for error in result["errors"]:
        exercise = error["exercise_id"]
        print(f"  error: {error['message'] if exercise is None else f'{exercise}: ' + error['message']}")
    for exercise_id in result["skipped"]:
        print(f"  skipped (not answered): {exercise_id}")


def _points(result: Mapping[str, Any]) -> str:
    """``points/max``, or "withheld/max" while the course's reveal rules hide a score."""
    got = "withheld" if result["points"] is None else f"{result['points']:g}"
    return f"{got}/{result['max_points']:g}"


def _progress(done: int, total: int, stream: TextIO) -> None:
    width = 30
    filled = width * done // total
    stream.write(f"\rgrading [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    stream.flush()


def _print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))
