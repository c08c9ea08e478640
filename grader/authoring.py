"""Declare an exercise in a dozen lines; the grader does the bookkeeping.

An exercise declared with :func:`exercise` is an ordinary :class:`grader.Exercise`, so
everything that grades, checks or shows exercises works with it unchanged. The author
writes only what is specific to the problem::

    from grader import Number
    from grader.authoring import collect, exercise, integers, mistake

    PERPLEXITY = exercise(
        id="course.perplexity",
        title="Perplexity from an average NLL",
        params={"nll": integers(150, 501, over=100)},        # 1.50 to 5.00
        prompt="The average NLL is **[[ nll | fmt('.2f') ]] nats**: what is $e^{\\\\mathrm{NLL}}$?",
        solve=lambda v: math.exp(v.nll),
        answer=Number(rtol=1e-3),
        misconceptions=[
            mistake("bits_for_nats", "You computed 2^NLL; the NLL is in nats.", lambda v: 2**v.nll),
        ],
        page="entropy", page_title="Entropy & perplexity", link=lambda v: {"nll": v.nll},
    )

    register_exercises = collect(__name__)

What the grader owns:

- **Drawing.** ``params`` maps names to draw helpers (:func:`integers`, :func:`choice`,
  :func:`uniform`, :func:`counts`), drawn in order; or ``generate(rng)`` returns the dict.
- **Telling answers apart.** A draw is kept only when every misconception's answer is
  told apart from the expected one by the answer kind's own tolerance (declared once,
  on the answer kind: not even in its "imprecise" band) and a student holding
  misconception *i* is recognised as *i*, not as an earlier one. ``accept(v)`` adds the
  problem's own conditions (a unique winner, a non-zero weight, ...). Otherwise the draw
  is redrawn, at most ``max_tries`` times; then :class:`grader.InvalidExercise` names the
  exercise and the last reason.
- **Computing each variant once.** ``derive(v)`` returns intermediate results (say, a
  table of KL divergences) that ``solve`` and every misconception read as ``v.name``.
  Derived values, the expected answer and the wrong answers are computed once per
  variant and kept in one cache keyed by the declaration and the variant's parameters.
  Treat them as read-only.
- **Prompts.** A Jinja2 template string, or a template file next to the declaring
  module (``prompt_file="q1.md"``). Placeholders are ``[[ name ]]``, blocks
  ``[% for x in xs %]...[% endfor %]`` and comments ``[# ... #]``, so LaTeX braces are
  written once: ``$\\frac{1}{n}$``. Unknown names are errors; ``zip``, ``enumerate``,
  ``sum`` and ``len`` are available. Filters: ``fmt(spec)``
  (``[[ x | fmt('.3g') ]]``), ``fractions`` (counts as fractions of their total),
  ``table(header)`` (rows as a markdown table) and the ones in ``filters=``.
- **Pointing to the dashboard.** ``page="entropy", link=lambda v: {...}`` builds the
  :class:`grader.DashboardLink` (the link carries the problem's inputs, never its
  outputs), and every misconception's feedback ends with one sentence naming the page
  where the student sees it: "The Entropy & perplexity page, linked above, ...". The
  student page shows the link under the prompt, above the answer form and its
  feedback, hence "above" (:data:`LINK_POSITION`).
- **Registration.** ``register_exercises = collect(__name__)`` is the module's pluggy
  hook: it registers every exercise declared at the module's top level.
"""

from __future__ import annotations

import itertools
import json
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import numpy as np

from grader.answers import AnswerKind
from grader.exercise import (
    DashboardLink,
    Exercise,
    InvalidExercise,
    Misconception,
    Params,
    to_plain,
)
from grader.hookspecs import hookimpl

__all__ = [
    "DEFAULT_MAX_TRIES",
    "LINK_POSITION",
    "Draw",
    "Values",
    "choice",
    "collect",
    "counts",
    "exercise",
    "integers",
    "mistake",
    "render",
    "separation_problem",
    "uniform",
]

#: Draws tried before a declaration is declared unable to tell its answers apart.
DEFAULT_MAX_TRIES = 1000

#: Where the student page shows the dashboard link, relative to the feedback.
LINK_POSITION = "above"

_CACHE_SIZE = 8192


# -- the variant as solve and misconceptions see it ------------------------------------


class Values(Mapping[str, Any]):
    """A variant's parameters and derived values, read as ``v.name`` or ``v["name"]``.

    A value named like a mapping method (``keys``, ``values``, ``items``, ``get``) is read
    only as ``v["values"]``: the attribute is the method.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            known = ", ".join(self._data)
            raise AttributeError(f"the variant has no value {name!r}; it has {known}") from None

    def __getitem__(self, name: str) -> Any:
        return self._data[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"Values({self._data!r})"


# -- draw helpers ------------------------------------------------------------------------


@dataclass(frozen=True)
class Draw:
    """One parameter's draw: ``draw(rng)`` returns a plain value (or list of values)."""

    draw: Callable[[np.random.Generator], Any]
    what: str

    def __call__(self, rng: np.random.Generator) -> Any:
        return to_plain(self.draw(rng))

    def __repr__(self) -> str:
        return self.what


def integers(lo: int, hi: int, *, size: int | tuple[int, ...] | None = None, over: int | None = None) -> Draw:
    """Integers in ``[lo, hi)`` (numpy's convention), optionally divided by ``over``.

    Parameters
    ----------
    lo, hi : int
        Inclusive lower and exclusive upper bound.
    size : int or tuple of int, optional
        A list (or nested lists) of that shape instead of one integer.
    over : int, optional
        Divide by it: ``integers(150, 501, over=100)`` gives 1.50 to 5.00 in steps of 0.01.

    Returns
    -------
    Draw
    """
    if not hi > lo:
        raise ValueError(f"`hi` must be greater than `lo`; got lo={lo}, hi={hi}")
    if over is not None and over <= 0:
        raise ValueError(f"`over` must be a positive integer; got {over}")

    def draw(rng: np.random.Generator) -> Any:
        value = rng.integers(lo, hi, size=size)
        return value if over is None else value / over

    return Draw(draw, f"integers({lo}, {hi}, size={size}, over={over})")


def counts(n: int, *, lo: int = 1, hi: int = 10) -> Draw:
    """``n`` positive counts in ``[lo, hi)``: weights of a distribution given as fractions."""
    if lo < 1:
        raise ValueError(f"`lo` must be at least 1 (counts are positive); got {lo}")
    return Draw(integers(lo, hi, size=n).draw, f"counts({n}, lo={lo}, hi={hi})")


def choice(options: Sequence[Any], *, size: int | None = None, p: Sequence[float] | None = None) -> Draw:
    """One of ``options`` (or a list of ``size``), kept as given (text stays text).

    Draws the index with ``rng.choice(len(options))``, which consumes the generator
    exactly as ``rng.choice(options)`` does.
    """
    items = list(options)
    if not items:
        raise ValueError("`options` must not be empty")

    def draw(rng: np.random.Generator) -> Any:
        index = rng.choice(len(items), size=size, p=p)
        return items[int(index)] if size is None else [items[int(i)] for i in index]

    return Draw(draw, f"choice({items!r}, size={size})")


def uniform(lo: float, hi: float, *, size: int | None = None, digits: int | None = None) -> Draw:
    """Uniform reals in ``[lo, hi)``, rounded to ``digits`` decimals if given."""
    if not hi > lo:
        raise ValueError(f"`hi` must be greater than `lo`; got lo={lo}, hi={hi}")

    def draw(rng: np.random.Generator) -> Any:
        value = rng.uniform(lo, hi, size=size)
        return value if digits is None else np.round(value, digits)

    return Draw(draw, f"uniform({lo}, {hi}, size={size}, digits={digits})")


# -- prompts -------------------------------------------------------------------------------


def _fmt(value: Any, spec: str) -> str:
    return format(value, spec)


def _fractions(values: Sequence[int]) -> str:
    total = sum(values)
    return "(" + ", ".join(f"{c}/{total}" for c in values) + ")"


def _table(rows: Sequence[Sequence[Any]], header: Sequence[Any]) -> str:
    lines = ["| " + " | ".join(str(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _environment(loader: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=loader,
        variable_start_string="[[",
        variable_end_string="]]",
        block_start_string="[%",
        block_end_string="%]",
        comment_start_string="[#",
        comment_end_string="#]",
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # markdown with LaTeX, not HTML
        trim_blocks=True,  # a [% for %] line leaves no blank line behind
        lstrip_blocks=True,
    )
    env.filters.update(fmt=_fmt, fractions=_fractions, table=_table)
    env.globals.update(zip=zip, enumerate=enumerate, sum=sum, len=len)
    return env


def render(template: str, values: Mapping[str, Any], *, filters: Mapping[str, Callable[..., Any]] | None = None) -> str:
    """Render a prompt template (``[[ x ]]``, ``[% ... %]``) with the variant's values.

    Raises
    ------
    jinja2.UndefinedError
        If the template names a value the variant does not have.
    """
    env = _environment()
    if filters:
        env.filters.update(filters)
    return env.from_string(template).render(dict(values))


# -- the cache: each variant computed once ---------------------------------------------------


class _Computed:
    """A variant's values, and (on first use) its expected and wrong answers."""

    def __init__(self, values: Values, answers: Callable[[Values], tuple[Any, dict[str, Any]]]) -> None:
        self.values = values
        self._answers = answers
        self._result: tuple[Any, dict[str, Any]] | None = None

    def _get(self) -> tuple[Any, dict[str, Any]]:
        if self._result is None:
            self._result = self._answers(self.values)
        return self._result

    @property
    def expected(self) -> Any:
        return self._get()[0]

    @property
    def wrong(self) -> dict[str, Any]:
        return self._get()[1]


#: Keyed by (declaration number, parameters): two declarations may share an id (a plugin
#: re-declaring a built-in is refused at registration, but its cache must not mix).
_cache: OrderedDict[tuple[int, str], _Computed] = OrderedDict()
_cache_lock = threading.Lock()
_declaration_numbers = itertools.count()


def _key(params: Params) -> str:
    return json.dumps(to_plain(params), sort_keys=True)


def _cached(declaration: int, params: Params, compute: Callable[[Params], _Computed]) -> _Computed:
    key = (declaration, _key(params))
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    result = compute(params)  # outside the lock: solve may be slow; a race only recomputes
    with _cache_lock:
        _cache[key] = result
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return result


# -- declarations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Mistake:
    name: str
    feedback: str
    answer: Callable[[Values], Any]
    credit: float = 0.0


def mistake(name: str, feedback: str, answer: Callable[[Values], Any], *, credit: float = 0.0) -> _Mistake:
    """A misconception of a declared exercise: ``answer(v)`` is the wrong answer.

    Parameters
    ----------
    name : str
        Short identifier, e.g. ``"bits_for_nats"`` (shown to instructors, not students).
    feedback : str
        What went wrong, for the student; the sentence pointing to the dashboard page is
        appended by the grader.
    answer : callable
        ``answer(v)`` from the variant's values, in the form ``solve`` returns (a
        :class:`grader.Record` misconception may give only its fields).
    credit : float
        Share of the points this misconception still earns (0 to 1).
    """
    return _Mistake(name, feedback, answer, credit)


#: Exercises declared by :func:`exercise`, by the module that declared them.
_declared: dict[str, list[Exercise]] = {}


def exercise(
    *,
    id: str,
    title: str,
    solve: Callable[[Values], Any],
    answer: AnswerKind,
    prompt: str | None = None,
    prompt_file: str | None = None,
    params: Mapping[str, Draw] | None = None,
    generate: Callable[[np.random.Generator], Params] | None = None,
    derive: Callable[[Values], Mapping[str, Any]] | None = None,
    accept: Callable[[Values], bool] | None = None,
    misconceptions: Sequence[_Mistake] = (),
    page: str | None = None,
    page_title: str | None = None,
    link: Callable[[Values], Mapping[str, Any]] | None = None,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    points: float = 1.0,
    reveal: str = "after_correct",
    version: int = 1,
    max_tries: int = DEFAULT_MAX_TRIES,
) -> Exercise:
    """Declare an exercise; returns an ordinary :class:`grader.Exercise`.

    Parameters
    ----------
    id, title : str
        As for :class:`grader.Exercise`.
    solve : callable
        ``solve(v)``: the expected answer from the variant's values.
    answer : AnswerKind
        How answers are read and compared; its tolerance also decides which draws are
        kept (see the module docstring).
    prompt : str, optional
        A Jinja2 template with ``[[ ]]`` / ``[% %]`` delimiters.
    prompt_file : str, optional
        A template file, relative to the declaring module's folder (instead of ``prompt``).
    params : mapping of str to Draw, optional
        Draw helpers, drawn in order.
    generate : callable, optional
        ``generate(rng) -> dict`` instead of ``params``.
    derive : callable, optional
        ``derive(v) -> dict`` of intermediate results, added to the values.
    accept : callable, optional
        ``accept(v) -> bool``: the problem's own conditions on a draw.
    misconceptions : sequence of :func:`mistake`
        Tried in order when grading.
    page : str, optional
        The dashboard page (its URL path) that visualises the exercise.
    page_title : str, optional
        The page's title for the feedback sentence (``page`` by default).
    link : callable, optional
        ``link(v) -> dict`` of the page's query parameters: the problem's inputs only.
    filters : mapping, optional
        Extra template filters.
    points, reveal, version
        As for :class:`grader.Exercise`.
    max_tries : int
        Draws tried before giving up with :class:`grader.InvalidExercise`.

    Returns
    -------
    Exercise
    """
    if (params is None) == (generate is None):
        raise TypeError(f"exercise {id!r}: give exactly one of `params` and `generate`")
    if (prompt is None) == (prompt_file is None):
        raise TypeError(f"exercise {id!r}: give exactly one of `prompt` and `prompt_file`")
    if link is not None and page is None:
        raise TypeError(f"exercise {id!r}: `link` needs `page`")
    if not (isinstance(max_tries, int) and max_tries >= 1):
        raise ValueError(f"exercise {id!r}: `max_tries` must be a positive integer; got {max_tries!r}")
    module = sys._getframe(1).f_globals.get("__name__", "")
    template = _template(id, prompt, prompt_file, module, filters)
    mistakes = tuple(misconceptions)
    draw = generate if generate is not None else _draw_all(dict(params or {}))

    def answers(values: Values) -> tuple[Any, dict[str, Any]]:
        expected = answer.normalise(solve(values))
        return expected, {m.name: answer.normalise_wrong(m.answer(values)) for m in mistakes}

    def compute(p: Params) -> _Computed:
        values = Values(p)
        if derive is not None:
            values = Values({**p, **derive(values)})
        return _Computed(values, answers)

    number = next(_declaration_numbers)

    def computed(p: Params) -> _Computed:
        return _cached(number, p, compute)

    def generate_variant(rng: np.random.Generator) -> Params:
        reason = ""
        for _ in range(max_tries):
            p = to_plain(draw(rng))
            result = computed(p)
            if accept is not None and not accept(result.values):
                reason = "accept(v) refused it"
                continue
            reason = separation_problem(answer, result.expected, [(m.name, result.wrong[m.name]) for m in mistakes])
            if not reason:
                return p
        raise InvalidExercise(
            f"exercise {id!r}: no draw in {max_tries} told the answer and every misconception "
            f"apart; the last one: {reason}"
        )

    suffix = _page_sentence(page, page_title)
    exercise_ = Exercise(
        id=id,
        title=title,
        generate=generate_variant,
        prompt=lambda p: template.render(dict(computed(p).values)),
        solve=lambda p: computed(p).expected,
        answer=answer,
        points=points,
        misconceptions=tuple(
            Misconception(m.name, m.feedback + suffix, _wrong_of(computed, m.name), m.credit) for m in mistakes
        ),
        dashboard=None if page is None else DashboardLink(page, None if link is None else lambda p: link(computed(p).values)),
        reveal=reveal,
        version=version,
    )
    _declared.setdefault(module, []).append(exercise_)
    return exercise_


def _wrong_of(computed: Callable[[Params], _Computed], name: str) -> Callable[[Params], Any]:
    return lambda p: computed(p).wrong[name]


def _draw_all(draws: dict[str, Draw]) -> Callable[[np.random.Generator], Params]:
    for name, d in draws.items():
        if not callable(d):
            raise TypeError(f"`params[{name!r}]` must be a draw helper such as integers(1, 10); got {d!r}")
    return lambda rng: {name: d(rng) for name, d in draws.items()}


def _template(
    exercise_id: str, prompt: str | None, prompt_file: str | None, module: str, filters: Mapping[str, Callable[..., Any]] | None
) -> jinja2.Template:
    if prompt_file is not None:
        folder = Path(getattr(sys.modules.get(module), "__file__", "") or ".").parent
        env = _environment(jinja2.FileSystemLoader(folder))
    else:
        env = _environment()
    if filters:
        env.filters.update(filters)
    try:
        return env.get_template(prompt_file) if prompt_file is not None else env.from_string(prompt or "")
    except jinja2.TemplateError as exc:
        raise InvalidExercise(f"exercise {exercise_id!r}: prompt template: {type(exc).__name__}: {exc}") from exc


def _page_sentence(page: str | None, title: str | None) -> str:
    if page is None:
        return ""
    return f" The {title or page} page, linked {LINK_POSITION}, shows this with your numbers."


def separation_problem(kind: AnswerKind, expected: Any, wrongs: list[tuple[str, Any]]) -> str:
    """Why grading could mix up the answer and a misconception, or "" when it cannot.

    Used to keep or redraw a declared exercise's variant, and by ``probstats check`` on
    every variant of any exercise. ``wrongs`` are (name, wrong answer) pairs in the
    misconceptions' order, as :meth:`grader.Exercise.wrong_answers` gives them.

    A student holding misconception *i* types ``kind.wrong_raw(expected, wrong_i)``
    (:meth:`grader.AnswerKind.as_typed_wrong` reads it back). That
    answer must be wrong, not merely imprecise, in at least one part (the answer kind's
    own tolerance and "imprecise" band), and it must be recognised as *i*: no earlier
    misconception matches it.
    """
    for i, (name, wrong) in enumerate(wrongs):
        typed = kind.as_typed_wrong(expected, wrong)
        parts = kind.evaluate(typed, expected).parts
        if not any(part.verdict == "wrong" for part in parts):
            return f"misconception {name!r} gives the expected answer, to within its tolerance"
        for other, other_wrong in wrongs[:i]:
            if kind.matches(typed, other_wrong):
                return f"misconception {name!r} would be graded as {other!r}"
    return ""


def collect(module_name: str) -> Callable[[Callable[[Exercise], None]], None]:
    """The ``register_exercises`` hook of a module: every exercise declared at its top level.

    Parameters
    ----------
    module_name : str
        The module's ``__name__``.

    Returns
    -------
    callable
        A pluggy hook implementation; assign it to ``register_exercises``.

    Notes
    -----
    Registered: the module-level :class:`grader.Exercise` objects that were declared in
    this module (by :func:`exercise`, or by ``Exercise(...)`` with a ``generate``
    defined here), in the order they appear. Exercises imported from elsewhere are left
    to the module that declared them.
    """

    @hookimpl
    def register_exercises(register: Callable[[Exercise], None]) -> None:
        module = sys.modules[module_name]
        declared = {id(e) for e in _declared.get(module_name, [])}
        seen: set[int] = set()
        for value in list(vars(module).values()):
            if not isinstance(value, Exercise) or id(value) in seen:
                continue
            if id(value) in declared or getattr(value.generate, "__module__", None) == module_name:
                seen.add(id(value))
                register(value)

    # The hook belongs to the declaring module: the loader counts a module as a plugin
    # when it defines a hook itself (a package re-exporting it is not a second plugin).
    register_exercises.__module__ = module_name
    return register_exercises
