"""The exercise model: what a plugin registers, and the checks every exercise must pass.

An :class:`Exercise` draws the parameters of one variant from an ``rng``, renders a
markdown prompt from them, computes the expected answer with ``solve`` (with core),
and lists :class:`Misconception` objects: plausible wrong answers, each computed with
core from the same parameters, with the feedback that names the mistake.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.answers import AnswerKind
from grader.pages import LinkError, PageContract, build_url

__all__ = [
    "EXERCISE_ID_PATTERN",
    "REVEAL_POLICIES",
    "DashboardLink",
    "Exercise",
    "InvalidExercise",
    "Misconception",
    "Params",
    "to_plain",
]

#: ``topic.name``: lower-case letters, digits and underscores, starting with a letter.
EXERCISE_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")

#: When a student sees the expected answer: always, only once they got it right, never.
REVEAL_POLICIES = ("always", "after_correct", "never")

#: The parameters of one variant: plain JSON-friendly values keyed by name.
Params = dict[str, Any]


class InvalidExercise(ValueError):
    """An exercise definition that cannot be used; the message says what is wrong."""


@dataclass(frozen=True)
class Misconception:
    """A plausible wrong answer and the feedback naming the mistake.

    ``answer(params)`` computes the wrong answer with core from the variant's
    parameters, in the same form ``solve`` returns (a :class:`~grader.answers.Record`
    misconception may give only the fields it is about).
    """

    name: str
    feedback: str
    answer: Callable[[Params], Any]
    #: Share of the points a recognised misconception still earns (0 to 1), as with
    #: WeBWorK's AnswerHints: e.g. 0.5 for the right quantity in the wrong unit.
    credit: float = 0.0


@dataclass(frozen=True)
class DashboardLink:
    """The dashboard page that visualises an exercise, and its query parameters.

    ``params(variant_params)`` maps the variant's parameters to the page's query
    parameters (the page keeps its state in the URL). They are the problem's inputs,
    never its answer.

    ``contract`` is set by the registry when the exercise registers: the page's
    :class:`grader.PageContract`, which builds and checks the URL. Without one (no
    contract registered) the values are URL-encoded as they are.
    """

    page: str
    params: Callable[[Params], Mapping[str, Any]] | None = None
    contract: PageContract | None = field(default=None, compare=False, repr=False)

    def url(self, variant: Params) -> str:
        """Relative URL of the page for this variant, e.g. ``/entropy?nll=3.0``."""
        return build_url(self, variant, self.contract)


@dataclass(frozen=True)
class Exercise:
    """One exercise, as registered by a plugin.

    Parameters
    ----------
    id : str
        ``topic.name``, e.g. ``"interview.perplexity_from_nll"``; the topic is the part
        before the dot.
    title : str
        A short title.
    generate : callable
        ``generate(rng) -> dict`` draws the parameters of one variant from a
        :class:`numpy.random.Generator`, and uses no other randomness.
    prompt : str or callable
        Markdown; a string is formatted with the parameters (``"{nll:.1f} nats"``).
    solve : callable
        ``solve(params)`` returns the expected answer, computed with core.
    answer : AnswerKind
        How answers are read and compared (``Number(rtol=1e-3)``, ``Record(...)``...).
    points : float
        Points for a fully correct answer.
    misconceptions : tuple of Misconception
        Plausible wrong answers with feedback, tried in order.
    dashboard : DashboardLink, optional
        The page that visualises the exercise.
    reveal : {"always", "after_correct", "never"}
        When feedback includes the expected answer.
    version : int
        The generator's version: bump it when ``generate`` draws differently for a seed.
    """

    id: str
    title: str
    generate: Callable[[np.random.Generator], Params]
    prompt: str | Callable[[Params], str]
    solve: Callable[[Params], Any]
    answer: AnswerKind
    points: float = 1.0
    misconceptions: tuple[Misconception, ...] = field(default_factory=tuple)
    dashboard: DashboardLink | None = None
    reveal: str = "after_correct"
    #: Bumped whenever ``generate`` changes what a seed draws, so stored attempts keep
    #: the variant they were about (the gradebook stores it beside the seed).
    version: int = 1

    @property
    def topic(self) -> str:
        """The part of the id before the dot."""
        return self.id.split(".", 1)[0]

    def render_prompt(self, params: Params) -> str:
        """The markdown prompt of this variant."""
        if callable(self.prompt):
            return self.prompt(params)
        return self.prompt.format_map(params)

    def expected(self, params: Params) -> Any:
        """The expected answer of this variant, checked and canonicalised by the answer kind."""
        return self.answer.normalise(self.solve(params))

    def wrong_answers(self, params: Params) -> list[tuple[Misconception, Any]]:
        """Each misconception with its wrong answer for this variant."""
        return [(m, self.answer.normalise_wrong(m.answer(params))) for m in self.misconceptions]

    def dashboard_url(self, params: Params) -> str | None:
        """The dashboard URL for this variant, or None without a link."""
        if self.dashboard is None:
            return None
        return build_url(self.dashboard, params, self.dashboard.contract, exercise_id=self.id)


def to_plain(value: Any) -> Any:
    """Turn numpy scalars/arrays (and tuples) into plain JSON-friendly Python values."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    return value


def check_definition(exercise: Any, answer_kinds: Mapping[str, type[AnswerKind]]) -> None:
    """Raise :class:`InvalidExercise` unless ``exercise`` is well formed.

    Checks the fields only; :func:`smoke_test` runs the exercise's code once.
    """
    if not isinstance(exercise, Exercise):
        raise InvalidExercise(f"expected a grader.Exercise, got {type(exercise).__name__}")
    if not isinstance(exercise.id, str) or not EXERCISE_ID_PATTERN.match(exercise.id):
        raise InvalidExercise(
            f"exercise id {exercise.id!r} must look like 'topic.name' "
            "(lower-case letters, digits, underscores)"
        )
    where = f"exercise {exercise.id!r}"
    if not isinstance(exercise.title, str) or not exercise.title.strip():
        raise InvalidExercise(f"{where}: `title` must be non-empty text")
    if isinstance(exercise.points, bool) or not isinstance(exercise.points, int | float) or not (
        0 < exercise.points < float("inf")
    ):
        raise InvalidExercise(f"{where}: `points` must be a number > 0; got {exercise.points!r}")
    for name in ("generate", "solve"):
        if not callable(getattr(exercise, name)):
            raise InvalidExercise(f"{where}: `{name}` must be callable")
    if not (isinstance(exercise.prompt, str) or callable(exercise.prompt)):
        raise InvalidExercise(f"{where}: `prompt` must be text or a callable")
    if not isinstance(exercise.answer, AnswerKind):
        raise InvalidExercise(
            f"{where}: `answer` must be an answer kind such as grader.Number(); "
            f"got {type(exercise.answer).__name__}"
        )
    kind = type(exercise.answer).kind
    if answer_kinds.get(kind) is not type(exercise.answer):
        raise InvalidExercise(f"{where}: answer kind {kind!r} is not registered")
    if isinstance(exercise.version, bool) or not isinstance(exercise.version, int) or exercise.version < 1:
        raise InvalidExercise(f"{where}: `version` must be an integer >= 1; got {exercise.version!r}")
    if exercise.reveal not in REVEAL_POLICIES:
        allowed = ", ".join(repr(r) for r in REVEAL_POLICIES)
        raise InvalidExercise(f"{where}: `reveal` must be one of {allowed}; got {exercise.reveal!r}")
    seen: set[str] = set()
    for m in exercise.misconceptions:
        if not isinstance(m, Misconception):
            raise InvalidExercise(f"{where}: `misconceptions` must hold grader.Misconception objects")
        if not m.name or not m.feedback.strip() or not callable(m.answer):
            raise InvalidExercise(f"{where}: misconception {m.name!r} needs a name, feedback and an answer function")
        if m.name in seen:
            raise InvalidExercise(f"{where}: misconception {m.name!r} is listed twice")
        credit = m.credit
        if isinstance(credit, bool) or not isinstance(credit, int | float) or not 0.0 <= credit < 1.0:
            raise InvalidExercise(
                f"{where}: misconception {m.name!r}: `credit` must be a number with 0 <= credit < 1; "
                f"got {credit!r}"
            )
        seen.add(m.name)
    if exercise.dashboard is not None and not isinstance(exercise.dashboard, DashboardLink):
        raise InvalidExercise(f"{where}: `dashboard` must be a grader.DashboardLink")


def smoke_test(exercise: Exercise, params: Params) -> None:
    """Run an exercise's code once on ``params``; raise InvalidExercise naming what failed."""
    where = f"exercise {exercise.id!r}"
    try:
        json.dumps(params, allow_nan=False)
    except (TypeError, ValueError):
        raise InvalidExercise(
            f"{where}: generate(rng) must return plain JSON values "
            f"(finite numbers, text, lists, tables); got {params!r}"
        ) from None
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("prompt", lambda: exercise.render_prompt(params)),
        ("solve", lambda: exercise.expected(params)),
        ("misconceptions", lambda: exercise.wrong_answers(params)),
        ("dashboard link", lambda: exercise.dashboard_url(params)),
    ]
    for step, run in steps:
        try:
            run()
        except LinkError as exc:  # already names the exercise, the page and the key
            raise InvalidExercise(str(exc)) from exc
        except Exception as exc:
            raise InvalidExercise(f"{where}: {step} failed: {type(exc).__name__}: {exc}") from exc
