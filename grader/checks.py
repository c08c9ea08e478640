"""``probstats check``: run an exercise's own code over many variants and report problems.

For each of ``n_variants`` synthetic students an exercise must: draw the same parameters
twice from the same seed (determinism), give JSON-friendly parameters, render its prompt,
solve, have its reference solution score 1.0 when graded like a student's answer, have
each misconception recognised with its own name and score below 1, have the answer and
every misconception told apart by the answer kind's own tolerance (the separation that
:mod:`grader.authoring` draws with), and build its dashboard link, checked by the page's
contract on every variant (when page contracts are registered; otherwise the report says
the links were not checked). Given golden variants (:mod:`grader.golden`), the report
also warns about each exercise whose ``generate`` changed without a ``version`` bump.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from grader.authoring import separation_problem
from grader.exercise import Exercise
from grader.golden import golden_warnings
from grader.grading import grade_parsed
from grader.pages import PageContract, unknown_page_message
from grader.variants import params_for_seed, variant_seed

if TYPE_CHECKING:
    from grader.plugins import Registry

__all__ = ["CHECK_SECRET", "NO_PAGES_NOTE", "CheckReport", "CheckResult", "check_exercise", "run_checks"]

#: A fixed secret, so ``check`` explores the same variants on every run.
CHECK_SECRET = "probstats-check"

#: What ``check`` says when no plugin registered a page contract.
NO_PAGES_NOTE = (
    "note: no dashboard page contract is registered (is the dashboard installed?), "
    "so dashboard links were not checked"
)


@dataclass
class CheckResult:
    """The outcome of checking one exercise."""

    exercise_id: str
    variants: int
    distinct_variants: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def check_exercise(
    exercise: Exercise,
    *,
    n_variants: int = 20,
    secret: str = CHECK_SECRET,
    pages: Mapping[str, PageContract] | None = None,
) -> CheckResult:
    """Check ``exercise`` on the variants of ``n_variants`` synthetic students.

    Parameters
    ----------
    exercise : Exercise
        The exercise to check.
    n_variants : int
        How many students' variants to try (students ``check-0``, ``check-1``, ...).
    secret : str
        The course secret used for the synthetic students.
    pages : mapping of str to PageContract, optional
        The page contracts by ``url_path`` (:attr:`Registry.pages`). When given and not
        empty, the link must name one of them and its contract must accept the link's
        values on every variant. By default the exercise's own bound contract (set when
        it registered) checks it, if it has one.

    Returns
    -------
    CheckResult
        ``problems`` lists each failure as ``"variant i: ..."``; empty when all pass.
    """
    if isinstance(n_variants, bool) or not isinstance(n_variants, int) or n_variants < 1:
        raise ValueError(f"`n_variants` must be an integer >= 1; got {n_variants!r}")
    result = CheckResult(exercise.id, n_variants)
    link = exercise.dashboard
    if pages and link is not None:
        if link.page not in pages:
            result.problems.append(unknown_page_message(exercise.id, link.page, pages))
            return result
        exercise = replace(exercise, dashboard=replace(link, contract=pages[link.page]))
    seen: set[str] = set()
    for i in range(n_variants):
        student = f"check-{i}"
        try:
            _check_variant(exercise, student, secret, seen)
        except _Problem as problem:
            result.problems.append(f"variant {i}: {problem}")
        except Exception as exc:
            result.problems.append(f"variant {i}: {type(exc).__name__}: {exc}")
    result.distinct_variants = len(seen)
    return result


@dataclass
class CheckReport:
    """The outcome of checking several exercises: what ``probstats check`` reports.

    ``results`` holds one :class:`CheckResult` per exercise, in the order checked;
    ``load_errors`` the registry's plugin load errors (as ``plugin 'NAME': MESSAGE``);
    ``golden_warnings`` one line per exercise whose generator changed without a
    version bump (see :mod:`grader.golden`).
    """

    results: list[CheckResult]
    load_errors: list[str] = field(default_factory=list)
    golden_warnings: list[str] = field(default_factory=list)
    #: Remarks that are not failures, e.g. that dashboard links were not checked.
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> int:
        """How many exercises passed."""
        return sum(r.ok for r in self.results)

    @property
    def ok(self) -> bool:
        """True when every exercise passed, every plugin loaded and no golden variant moved."""
        return self.passed == len(self.results) and not self.load_errors and not self.golden_warnings

    def to_text(self) -> str:
        """The report as ``probstats check`` prints it (load errors go to stderr there).

        A line per exercise (``ID: ok (D distinct of N variants)`` or
        ``ID: K problem(s) (...)`` followed by its problems, indented), a ``warning:``
        line per golden warning, then ``P of E exercises passed``. The notes are not
        part of it (the command prints them on stderr, with the load errors).
        """
        lines = []
        for r in self.results:
            status = "ok" if r.ok else f"{len(r.problems)} problem(s)"
            lines.append(f"{r.exercise_id}: {status} ({r.distinct_variants} distinct of {r.variants} variants)")
            lines.extend(f"  {problem}" for problem in r.problems)
        lines.extend(f"warning: {w}" for w in self.golden_warnings)
        lines.append(f"{self.passed} of {len(self.results)} exercises passed")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """What ``probstats check --json`` prints (``golden_warnings`` only when there are some)."""
        data: dict[str, Any] = {
            "exercises": [r.to_dict() for r in self.results],
            "load_errors": list(self.load_errors),
            "notes": list(self.notes),
        }
        if self.golden_warnings:
            data["golden_warnings"] = list(self.golden_warnings)
        return data


def run_checks(
    registry: Registry,
    *,
    exercise_ids: Sequence[str] | None = None,
    n_variants: int = 20,
    secret: str = CHECK_SECRET,
    golden: Mapping[str, Any] | None = None,
) -> CheckReport:
    """Check the exercises of ``registry`` (all, or ``exercise_ids``): ``probstats check``.

    Parameters
    ----------
    registry : Registry
        The loaded exercises (:func:`grader.load_exercises`).
    exercise_ids : sequence of str, optional
        Only these exercises, in this order; every registered exercise by default.
    n_variants : int
        Variants per exercise (see :func:`check_exercise`).
    secret : str
        The course secret used for the synthetic students.
    golden : mapping, optional
        Golden variants (:func:`grader.golden.read_golden`) to compare each exercise's
        ``generate`` with; none by default.

    Returns
    -------
    CheckReport
        The per-exercise results, the registry's load errors, the golden warnings, and a
        note when an exercise has a dashboard link but no page contract is registered
        (links then go unchecked).

    Raises
    ------
    ValueError
        If ``n_variants`` is not an integer >= 1.
    grader.UnknownExercise
        If an id in ``exercise_ids`` is not registered (before anything is checked).

    Examples
    --------
    >>> from grader import build_registry
    >>> report = run_checks(build_registry(autoload=False), exercise_ids=["interview.perplexity_from_nll"],
    ...                     n_variants=2)
    >>> print(report.to_text())
    interview.perplexity_from_nll: ok (2 distinct of 2 variants)
    1 of 1 exercises passed
    >>> report.ok
    True
    """
    if isinstance(n_variants, bool) or not isinstance(n_variants, int) or n_variants < 1:
        raise ValueError(f"`n_variants` must be an integer >= 1; got {n_variants!r}")
    if exercise_ids:
        exercises = [registry.get(i) for i in exercise_ids]
    else:
        exercises = list(registry.exercises.values())
    pages = registry.pages
    results = [check_exercise(e, n_variants=n_variants, secret=secret, pages=pages) for e in exercises]
    warnings = [] if golden is None else golden_warnings(exercises, golden)
    unchecked = not pages and any(e.dashboard is not None for e in exercises)
    notes = [NO_PAGES_NOTE] if unchecked else []
    return CheckReport(results, [str(e) for e in registry.errors], warnings, notes)


class _Problem(Exception):
    pass


def internal_names(exercise: Exercise) -> set[str]:
    """Names a student should never read: the exercise's misconception ids.

    Only ids that look like code (with an underscore, ``nats_for_bits``) count, less
    the record fields a student types (a field may share a misconception's name).
    """
    fields = set(getattr(exercise.answer, "fields", None) or ())
    return {m.name for m in exercise.misconceptions if "_" in m.name} - fields


def _no_internal_names(exercise: Exercise, text: str, where: str) -> None:
    leaked = sorted(name for name in internal_names(exercise) if re.search(rf"\b{re.escape(name)}\b", text))
    if leaked:
        raise _Problem(f"{where} shows the internal name(s) {', '.join(leaked)} to students")


def _check_variant(exercise: Exercise, student: str, secret: str, seen: set[str]) -> None:
    seed = variant_seed(student, exercise.id, secret=secret)
    params = params_for_seed(exercise, seed)
    if params != params_for_seed(exercise, seed):
        raise _Problem("generate is not deterministic: the same seed gave different parameters")
    try:
        seen.add(json.dumps(params, sort_keys=True, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise _Problem(f"the parameters are not JSON-friendly: {exc}") from None
    prompt = exercise.render_prompt(params)
    if not isinstance(prompt, str) or not prompt.strip():
        raise _Problem("the prompt renders empty")
    expected = exercise.expected(params)
    kind = exercise.answer
    reference = grade_parsed(
        exercise, kind.as_typed(expected), params, student_id=student, seed=seed, raw_answer=kind.to_raw(expected)
    )
    if reference.score != 1.0:
        raise _Problem(f"the reference solution scores {reference.score:g}, not 1.0")
    wrongs = exercise.wrong_answers(params)
    for misconception, wrong in wrongs:
        feedback = grade_parsed(
            exercise,
            kind.as_typed_wrong(expected, wrong),
            params,
            student_id=student,
            seed=seed,
            raw_answer=kind.wrong_raw(expected, wrong),
        )
        if feedback.score == 1.0:
            raise _Problem(f"misconception {misconception.name!r} gives the correct answer (score 1.0)")
        if feedback.misconception != misconception.name:
            raise _Problem(
                f"misconception {misconception.name!r} is not recognised "
                f"(recognised: {feedback.misconception!r})"
            )
        if feedback.misconception_feedback != misconception.feedback:
            raise _Problem(f"misconception {misconception.name!r}: its feedback is not shown")
        shown = " ".join([feedback.message, *(p.message for p in feedback.parts)])
        _no_internal_names(exercise, shown, f"the feedback for misconception {misconception.name!r}")
    _no_internal_names(exercise, prompt, "the prompt")
    _check_separation(exercise, expected, wrongs)
    exercise.dashboard_url(params)


def _check_separation(exercise: Exercise, expected: Any, wrongs: list[tuple[Any, Any]]) -> None:
    """The answer and each misconception told apart by the answer kind's own tolerance.

    Stricter than "recognised, scores below 1": a misconception in the answer's
    "imprecise" band would tell its holder to give more digits.
    """
    problem = separation_problem(exercise.answer, expected, [(m.name, wrong) for m, wrong in wrongs])
    if problem:
        raise _Problem(f"not told apart by the answer's tolerance: {problem}")
