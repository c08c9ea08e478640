"""The ``probstats`` command line (also ``python -m grader``).

Subcommands: ``exercises``, ``sheet``, ``grade``, ``gradebook``, ``check``, ``plugins``,
``new-exercise``, ``dashboard``. Those that print data take ``--json``. Exit status: 0
when all went well, 1 when something needs attention (a load error, a bad part of a
submission, a failed check), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from grader.checks import run_checks
from grader.exercise import Exercise
from grader.gradebook import Gradebook
from grader.plugins import Registry, UnknownExercise, load_exercises
from grader.scaffold import ScaffoldError, write_plugin_package
from grader.sheet import render_sheet, render_template
from grader.submissions import (
    GradedSubmission,
    SubmissionFileError,
    grade_submission,
    read_submission,
)
from grader.variants import SECRET_ENV, variant_for

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``probstats``."""
    parser = argparse.ArgumentParser(
        prog="probstats", description="ProbStats Lab: exercises, personal variants, grading."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("exercises", help="list the exercises")
    p.add_argument("--topic", help="only this topic")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("sheet", help="write a student's personal problem sheet and answer template")
    p.add_argument("--student", required=True, help="the student id")
    p.add_argument("--out-dir", default=".", help="where to write the files (default: .)")
    p.add_argument("--format", choices=("toml", "json"), default="toml", help="answer template format")
    p.add_argument("--exercise", action="append", metavar="ID", help="only these exercises (repeatable)")
    p.add_argument("--json", action="store_true", help="print the sheet, template and variants as JSON")

    p = sub.add_parser("grade", help="grade submission files and store them in the gradebook")
    p.add_argument("files", nargs="+", metavar="FILE", help=".toml or .json submission files")
    p.add_argument("--student", help="the student id, for files that do not name one")
    p.add_argument("--db", help="SQLAlchemy URL of the gradebook (default: $PROBSTATS_DB or ./gradebook.db)")
    p.add_argument("--no-store", action="store_true", help="grade without storing")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: when stderr is a terminal)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("gradebook", help="show or export the gradebook")
    p.add_argument("--db", help="SQLAlchemy URL of the gradebook")
    p.add_argument("--csv", metavar="PATH", help="write CSV to PATH ('-' for stdout)")
    p.add_argument("--long", action="store_true", help="CSV: a row per submission (default: a row per student)")
    p.add_argument("--json", action="store_true", help="print best and latest scores as JSON")

    p = sub.add_parser("check", help="check exercises over many variants")
    p.add_argument("--variants", type=int, default=20, metavar="N", help="variants per exercise (default 20)")
    p.add_argument("--exercise", action="append", metavar="ID", help="only these exercises (repeatable)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("plugins", help="list plugins, their hooks, exercises and load errors")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("new-exercise", help="write a plugin package with one exercise and a test")
    p.add_argument("name", metavar="NAME", help="topic name of the new package, e.g. my_topic")
    p.add_argument("--dir", default=".", help="parent folder of the package (default: .)")

    p = sub.add_parser("dashboard", help="serve the dashboard (streamlit run)")
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="passed on to streamlit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``probstats``; return the exit status."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "dashboard":
        args.streamlit_args = [*extra, *args.streamlit_args]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    handler = _COMMANDS[args.command]
    try:
        return handler(args)
    except (UnknownExercise, ScaffoldError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


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
    registry = _registry()
    exercises = _select(registry, args.exercise)
    _warn_default_secret()
    sheet = render_sheet(exercises, args.student)
    template = render_template(exercises, args.student, fmt=args.format)
    if args.json:
        variants = {}
        for e in exercises:
            v = variant_for(args.student, e)
            variants[e.id] = {"seed": v.seed, "params": v.params, "dashboard": e.dashboard_url(v.params)}
        _print_json({"student_id": args.student, "sheet": sheet, "template": template, "variants": variants})
        return _load_status(registry)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sheet_path = out / f"sheet-{args.student}.md"
    template_path = out / f"answers-{args.student}.{args.format}"
    sheet_path.write_text(sheet, encoding="utf-8")
    template_path.write_text(template, encoding="utf-8")
    print(f"wrote {sheet_path}")
    print(f"wrote {template_path}")
    return _load_status(registry)


def _grade(args: argparse.Namespace) -> int:
    registry = _registry()
    _warn_default_secret()
    book = None if args.no_store else Gradebook(args.db)
    show_progress = sys.stderr.isatty() if args.progress is None else args.progress
    results: list[GradedSubmission] = []
    file_errors: list[str] = []
    try:
        for done, path in enumerate(args.files, start=1):
            try:
                submission = read_submission(path, student_id=args.student)
            except SubmissionFileError as exc:
                file_errors.append(str(exc))
            else:
                results.append(grade_submission(submission, registry, gradebook=book))
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
        _print_feedback(results[0])
    else:
        rows = [
            [r.source, r.student_id, f"{r.points:g}/{r.max_points:g}", str(len(r.feedback)), str(len(r.errors))]
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
    book = Gradebook(args.db)
    try:
        if args.csv:
            if args.csv == "-":
                book.export_csv(sys.stdout, long=args.long)
            else:
                book.export_csv(args.csv, long=args.long)
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


def _check(args: argparse.Namespace) -> int:
    if args.variants < 1:
        raise ValueError(f"--variants must be >= 1; got {args.variants}")
    report = run_checks(_registry(), exercise_ids=args.exercise, n_variants=args.variants)
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


#: Streamlit options the dashboard is served with wherever it is started from (the repo's
#: .streamlit/config.toml is read only when streamlit starts in the repo folder): no
#: Deploy button or developer menu, localhost only, no prompt, no usage statistics.
#: Options the user passes come after these, so they win.
DASHBOARD_OPTIONS = (
    "--client.toolbarMode", "viewer",
    "--server.address", "localhost",
    "--server.headless", "true",
    "--browser.gatherUsageStats", "false",
)


def _dashboard(args: argparse.Namespace) -> int:
    spec = importlib.util.find_spec("dashboard")
    if spec is None or spec.origin is None:
        raise ValueError("the dashboard package is not installed")
    app = Path(spec.origin).parent / "streamlit_app.py"
    command = [sys.executable, "-m", "streamlit", "run", str(app), *DASHBOARD_OPTIONS, *args.streamlit_args]
    return subprocess.call(command)


_COMMANDS = {
    "exercises": _exercises,
    "sheet": _sheet,
    "grade": _grade,
    "gradebook": _gradebook,
    "check": _check,
    "plugins": _plugins,
    "new-exercise": _new_exercise,
    "dashboard": _dashboard,
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
    if not os.environ.get(SECRET_ENV):
        print(f"warning: {SECRET_ENV} is not set; using the insecure default secret", file=sys.stderr)


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


def _print_feedback(result: GradedSubmission) -> None:
    print(f"{result.source} ({result.student_id}): {result.points:g}/{result.max_points:g} points")
    for f in result.feedback:
        print(f"  {f.exercise_id}: {f.points:g}/{f.max_points:g}. {f.message}")
        for part in f.parts:
            if part.part != "answer":
                # The message says more than the verdict word only when they differ.
                detail = "" if part.message.lower().rstrip(".") == part.verdict else f" ({part.message})"
                print(f"    {part.part}: {part.verdict}{detail}")
        if f.expected is not None:
            print(f"    expected: {json.dumps(f.expected)}")
    for error in result.errors:
        print(f"  error: {error}")
    for exercise_id in result.skipped:
        print(f"  skipped (not answered): {exercise_id}")


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
