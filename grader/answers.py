"""Answer kinds: how a raw answer is read, compared with the expected one, and scored.

An answer kind is an object (one per exercise, holding that exercise's tolerances) with
four jobs:

- :meth:`AnswerKind.parse` turns a raw answer from a TOML/JSON file or the web form
  into a value, or raises :class:`AnswerError` whose message is shown to the student;
- :meth:`AnswerKind.evaluate` compares a parsed value with the expected value and
  returns an :class:`Evaluation` (score in [0, 1] and per-part verdicts);
- :meth:`AnswerKind.matches` says whether a value is (within tolerance) a given wrong
  answer, which is how misconceptions are recognised;
- :meth:`AnswerKind.to_raw` turns a value back into what a student would type, used
  for answer templates, ``probstats check`` and storage.

Built-in kinds: :class:`Number`, :class:`Vector`, :class:`Choice`,
:class:`MultipleChoice` and :class:`Record` (named numbers with partial credit per
field). Plugins add kinds through the ``register_answer_types`` hook.
"""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, ClassVar

from grader.expressions import ExpressionError, evaluate

__all__ = [
    "IMPRECISE_FACTOR",
    "AnswerError",
    "AnswerKind",
    "Choice",
    "Evaluation",
    "MultipleChoice",
    "Number",
    "PartResult",
    "Record",
    "RecordValue",
    "Vector",
    "parse_number",
    "split_entries",
]

#: A number written with thousands separators, as printed: ``50,257`` or ``-1,234,567.5``
#: (groups of exactly three digits after the first one to three).
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")

#: An answer within this many tolerances of the expected one (but not within one) gets
#: the "right idea, not precise enough" hint instead of a plain "incorrect".
IMPRECISE_FACTOR = 10.0


class AnswerError(ValueError):
    """A raw answer that cannot be read; the message is written for the student."""


@dataclass(frozen=True)
class PartResult:
    """The verdict on one part of an answer (the whole answer, a field, an entry).

    ``verdict`` is one of ``"correct"``, ``"imprecise"``, ``"wrong"``, ``"missing"``,
    ``"invalid"``.
    """

    part: str
    verdict: str
    score: float
    message: str


@dataclass(frozen=True)
class Evaluation:
    """Score in [0, 1] and the per-part verdicts behind it."""

    score: float
    parts: tuple[PartResult, ...]


def parse_number(raw: Any, what: str = "the answer") -> float:
    """Read a number typed as a literal or an expression; always finite.

    Examples
    --------
    >>> parse_number("5/7")
    0.7142857142857143
    >>> parse_number(float("nan"))
    Traceback (most recent call last):
    ...
    grader.answers.AnswerError: the answer must be a finite number; got nan
    >>> parse_number([1, 2])
    Traceback (most recent call last):
    ...
    grader.answers.AnswerError: the answer must be a number or an expression like "5/7"; got a list

    A number typed as printed, with thousands separators in groups of three, is one
    number:

    >>> parse_number("50,257")
    50257.0
    """
    if isinstance(raw, bool) or not isinstance(raw, Real | str):
        raise AnswerError(
            f'{what} must be a number or an expression like "5/7"; got {_type_name(raw)}'
        )
    if isinstance(raw, str):
        if _THOUSANDS.fullmatch(raw.strip()):
            raw = raw.replace(",", "")
        try:
            return evaluate(raw)
        except ExpressionError as exc:
            raise AnswerError(f"{what}: {exc}") from None
    try:
        value = float(raw)
    except OverflowError:  # an integer of hundreds of digits
        raise AnswerError(f"{what} is too large to be a number (over 1e308)") from None
    if not math.isfinite(value):
        raise AnswerError(f"{what} must be a finite number; got {value}")
    return value


def _type_name(raw: Any) -> str:
    names = {
        list: "a list",
        tuple: "a list",
        dict: "a table",
        bool: "true/false",
        str: "text",
        type(None): "nothing",
    }
    for kind, name in names.items():
        if isinstance(raw, kind):
            return name
    return type(raw).__name__


class AnswerKind(ABC):
    """Base class of answer kinds. Subclasses set ``kind`` (the registered name)."""

    kind: ClassVar[str]

    @abstractmethod
    def parse(self, raw: Any) -> Any:
        """Turn a raw answer into a value; raise :class:`AnswerError` if it cannot."""

    @abstractmethod
    def evaluate(self, value: Any, expected: Any) -> Evaluation:
        """Score a parsed value against the expected value."""

    @abstractmethod
    def to_raw(self, value: Any) -> Any:
        """A JSON/TOML-friendly raw answer that parses back to ``value``."""

    @abstractmethod
    def describe(self) -> str:
        """One line for the problem sheet: what to type and how precisely."""

    def normalise(self, expected: Any) -> Any:
        """Check and canonicalise a value returned by ``solve`` (raise ValueError)."""
        return self.parse(self.to_raw(expected))

    def normalise_wrong(self, wrong: Any) -> Any:
        """Check and canonicalise a misconception's wrong answer (raise ValueError)."""
        return self.normalise(wrong)

    def matches(self, value: Any, wrong: Any) -> bool:
        """True when ``value`` is, within tolerance, the wrong answer ``wrong``."""
        return self.evaluate(value, wrong).score == 1.0

    def template(self) -> Any:
        """A placeholder raw answer for the answer template file."""
        return ""

    def wrong_raw(self, expected: Any, wrong: Any) -> Any:
        """What a student holding misconception answer ``wrong`` would type."""
        return self.to_raw(wrong)

    def as_typed(self, expected: Any) -> Any:
        """The parsed value of a student who typed the expected answer (``probstats check``)."""
        return self.parse(self.to_raw(expected))

    def as_typed_wrong(self, expected: Any, wrong: Any) -> Any:
        """The parsed value of a student holding the misconception answer ``wrong``.

        By default :meth:`wrong_raw` read back; a kind whose answers are not typed values
        (code) gives the outputs such an answer would have.
        """
        return self.parse(self.wrong_raw(expected, wrong))

    def shown(self, expected: Any) -> Any:
        """The expected answer as feedback shows it: rounded to the answer's precision.

        Typed back, it must still score 1.0. By default the full :meth:`to_raw` value.
        """
        return self.to_raw(expected)


@dataclass(frozen=True)
class Number(AnswerKind):
    """A real number, typed as a literal or an expression.

    Parameters
    ----------
    rtol, atol : float
        Relative and absolute tolerance.
    sig_figs : int, optional
        If given, an answer rounded to this many significant figures is also accepted.

    Notes
    -----
    The answer ``x`` is correct when ``|x - e| <= tol`` with
    ``tol = max(atol, rtol * |e|, 0.5 * 10**(floor(log10|e|) - sig_figs + 1))`` (the last
    term only with ``sig_figs``). Within ``IMPRECISE_FACTOR * tol`` it is "imprecise":
    no credit, with a hint to give more digits.
    """

    kind: ClassVar[str] = "number"
    rtol: float = 1e-3
    atol: float = 0.0
    sig_figs: int | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.rtol) and self.rtol >= 0):
            raise ValueError(f"`rtol` must be finite and >= 0; got {self.rtol}")
        if not (math.isfinite(self.atol) and self.atol >= 0):
            raise ValueError(f"`atol` must be finite and >= 0; got {self.atol}")
        if self.sig_figs is not None and (
            not isinstance(self.sig_figs, int) or isinstance(self.sig_figs, bool) or self.sig_figs < 1
        ):
            raise ValueError(f"`sig_figs` must be an integer >= 1; got {self.sig_figs!r}")
        if self.rtol == 0 and self.atol == 0 and self.sig_figs is None:
            raise ValueError("`rtol`, `atol` and `sig_figs` cannot all be zero/None")

    def parse(self, raw: Any) -> float:
        return parse_number(raw)

    def tolerance(self, expected: float) -> float:
        """The absolute tolerance around ``expected`` (see Notes)."""
        tol = max(self.atol, self.rtol * abs(expected))
        if self.sig_figs is not None and expected != 0:
            exponent = math.floor(math.log10(abs(expected))) - self.sig_figs + 1
            # A hair above half a unit so that correctly rounded answers always pass.
            tol = max(tol, 0.5 * 10.0**exponent * (1 + 1e-9))
        return tol

    def evaluate(self, value: Any, expected: Any, part: str = "answer") -> Evaluation:
        tol = self.tolerance(expected)
        error = abs(value - expected)
        if error <= tol:
            return Evaluation(1.0, (PartResult(part, "correct", 1.0, "correct"),))
        if error <= IMPRECISE_FACTOR * tol:
            if self.sig_figs is not None:
                hint = f"give at least {self.sig_figs} significant figures"
            else:
                hint = f"the answer must be {self.tolerance_words()}; give more digits"
            message = f"close, but not precise enough: {hint}"
            return Evaluation(0.0, (PartResult(part, "imprecise", 0.0, message),))
        return Evaluation(0.0, (PartResult(part, "wrong", 0.0, "incorrect"),))

    def to_raw(self, value: Any) -> float:
        return float(value)

    def tolerance_words(self) -> str:
        """How precisely to answer, in words a student reads.

        Examples
        --------
        >>> Number(rtol=1e-3).tolerance_words()
        'within 0.1% relative'
        >>> Number(rtol=1e-6, sig_figs=3).tolerance_words()
        'to 3 significant figures'
        >>> Number(rtol=1e-3, atol=1e-6).tolerance_words()
        'within 0.1% relative, or within ±0.000001'
        """
        if self.sig_figs is not None:
            # The rounding half-unit dominates any rtol a course would pair with it.
            return f"to {self.sig_figs} significant figure{'s' if self.sig_figs != 1 else ''}"
        parts = []
        if self.rtol:
            parts.append(f"within {_decimal(self.rtol * 100)}% relative")
        if self.atol:
            parts.append(f"within ±{_decimal(self.atol)}")
        return ", or ".join(parts)

    def shown(self, expected: Any) -> float:
        """``expected`` rounded to the decimal place its tolerance allows.

        The place is the first with a unit no larger than the tolerance, so the rounding
        error is at most half the tolerance and the shown value scores 1.0.

        Examples
        --------
        >>> Number(rtol=1e-3).shown(20.085536923187668)
        20.09
        >>> Number(rtol=1e-6, sig_figs=3).shown(20.085536923187668)
        20.1
        """
        value = float(expected)
        tol = self.tolerance(value)
        if self.sig_figs is not None and value != 0:
            # Half a unit in the last figure is the tolerance: round to those figures.
            places = self.sig_figs - 1 - math.floor(math.log10(abs(value)))
        elif tol > 0:
            places = math.ceil(-math.log10(tol))
        else:
            return value
        # Never round away digits before the point: 50257 stays 50257, not 50260.
        return round(value, max(places, 0))

    def describe(self) -> str:
        return f"a number (a decimal or an expression like 5/7 or exp(3)), {self.tolerance_words()}"
    def template(self) -> Any:
        return ""


@dataclass(frozen=True)
class Vector(AnswerKind):
    """A list of numbers; each entry graded like a :class:`Number`, credit per entry."""

    kind: ClassVar[str] = "vector"
    rtol: float = 1e-3
    atol: float = 0.0

    def _number(self) -> Number:
        return Number(rtol=self.rtol, atol=self.atol)

    def parse(self, raw: Any) -> list[float]:
        if isinstance(raw, str):
            raw = split_entries(raw)
        if isinstance(raw, bytes) or not isinstance(raw, Sequence):
            raise AnswerError(f"the answer must be a list of numbers; got {_type_name(raw)}")
        if len(raw) == 0:
            raise AnswerError("the answer must be a non-empty list of numbers")
        return [parse_number(item, f"entry {i}") for i, item in enumerate(raw)]

    def evaluate(self, value: Any, expected: Any) -> Evaluation:
        if len(value) != len(expected):
            message = f"expected {len(expected)} numbers, got {len(value)}"
            return Evaluation(0.0, (PartResult("answer", "wrong", 0.0, message),))
        number = self._number()
        parts = tuple(
            number.evaluate(v, e, part=f"entry {i}").parts[0]
            for i, (v, e) in enumerate(zip(value, expected, strict=True))
        )
        return Evaluation(sum(p.score for p in parts) / len(parts), parts)

    def to_raw(self, value: Any) -> list[float]:
        return [float(v) for v in value]

    def shown(self, expected: Any) -> list[float]:
        number = self._number()
        return [number.shown(v) for v in expected]

    def describe(self) -> str:
        return f"a list of numbers, e.g. [0.1, 0.9], each {self._number().tolerance_words()}"

    def template(self) -> Any:
        return []


@dataclass(frozen=True)
class Choice(AnswerKind):
    """Exactly one of ``options`` (compared as exact strings after stripping spaces)."""

    kind: ClassVar[str] = "choice"
    options: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_options(self.options)

    def parse(self, raw: Any) -> str:
        if not isinstance(raw, str):
            raise AnswerError(f"the answer must be one option as text; got {_type_name(raw)}")
        choice = raw.strip()
        if choice not in self.options:
            raise AnswerError(f"{choice!r} is not one of the options: {', '.join(self.options)}")
        return choice

    def evaluate(self, value: Any, expected: Any) -> Evaluation:
        if value == expected:
            return Evaluation(1.0, (PartResult("answer", "correct", 1.0, "correct"),))
        return Evaluation(0.0, (PartResult("answer", "wrong", 0.0, "incorrect"),))

    def to_raw(self, value: Any) -> str:
        return str(value)

    def describe(self) -> str:
        return f"one of: {', '.join(self.options)}"


@dataclass(frozen=True)
class MultipleChoice(AnswerKind):
    """Any subset of ``options``.

    Notes
    -----
    Score = ``max(0, (right picks - wrong picks) / number of right options)``, so
    choosing everything earns nothing.
    """

    kind: ClassVar[str] = "multiple_choice"
    options: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_options(self.options)

    def parse(self, raw: Any) -> frozenset[str]:
        if isinstance(raw, str | bytes) or not isinstance(raw, Sequence):
            raise AnswerError(f"the answer must be a list of options; got {_type_name(raw)}")
        chosen: list[str] = []
        for item in raw:
            if not isinstance(item, str):
                raise AnswerError(f"each option must be text; got {_type_name(item)}")
            option = item.strip()
            if option not in self.options:
                raise AnswerError(f"{option!r} is not one of the options: {', '.join(self.options)}")
            if option in chosen:
                raise AnswerError(f"{option!r} is chosen twice")
            chosen.append(option)
        return frozenset(chosen)

    def normalise(self, expected: Any) -> frozenset[str]:
        value = self.parse(self.to_raw(expected))
        if not value:
            raise ValueError("the expected answer must contain at least one option")
        return value

    def evaluate(self, value: Any, expected: Any) -> Evaluation:
        right = len(value & expected)
        wrong = len(value - expected)
        score = max(0.0, (right - wrong) / len(expected))
        verdict = "correct" if score == 1.0 else "wrong"
        message = (
            "correct"
            if score == 1.0
            else f"{right} of {len(expected)} right options chosen, {wrong} wrong option(s) chosen"
        )
        return Evaluation(score, (PartResult("answer", verdict, score, message),))

    def to_raw(self, value: Any) -> list[str]:
        return sorted(value, key=self.options.index)

    def describe(self) -> str:
        return f"a list of all options that apply, from: {', '.join(self.options)}"

    def template(self) -> Any:
        return []


def _check_options(options: tuple[str, ...]) -> None:
    if not isinstance(options, tuple) or len(options) < 2:
        raise ValueError(f"`options` must be a tuple of at least 2 strings; got {options!r}")
    if any(not isinstance(o, str) or not o.strip() or o != o.strip() for o in options):
        raise ValueError(f"`options` must be non-empty strings without surrounding spaces; got {options!r}")
    if len(set(options)) != len(options):
        raise ValueError(f"`options` must be distinct; got {options!r}")


@dataclass(frozen=True)
class RecordValue:
    """A parsed record: the numbers that could be read, and a message per bad field."""

    values: dict[str, float]
    problems: dict[str, str] = field(default_factory=dict)
    missing: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Record(AnswerKind):
    """Named numbers (``{alpha = 8, mean = "8/12"}``), each with its own tolerance.

    Parameters
    ----------
    fields : mapping of str to Number
        The field names, in the order shown to students, and how each is graded.
    weights : mapping of str to float, optional
        Credit of each field; equal by default.

    Notes
    -----
    Score = sum of the weights of the correct fields / sum of all weights. A missing,
    unreadable or unknown field gets its own message; the other fields are still graded.
    A misconception may give only some fields: it is recognised when each of them matches.
    """

    kind: ClassVar[str] = "record"
    fields: Mapping[str, Number] = field(default_factory=dict)
    weights: Mapping[str, float] | None = None

    def __post_init__(self) -> None:
        if not self.fields:
            raise ValueError("`fields` must name at least one field")
        for name, number in self.fields.items():
            if not isinstance(name, str) or not name.isidentifier():
                raise ValueError(f"`fields` names must be identifiers; got {name!r}")
            if not isinstance(number, Number):
                raise ValueError(f"`fields[{name!r}]` must be a Number; got {number!r}")
        if self.weights is not None:
            if set(self.weights) != set(self.fields):
                raise ValueError("`weights` must give a weight for exactly the fields")
            if any(not (w > 0 and math.isfinite(w)) for w in self.weights.values()):
                raise ValueError("`weights` must be finite and > 0")

    def _weight(self, name: str) -> float:
        return 1.0 if self.weights is None else float(self.weights[name])

    def parse(self, raw: Any) -> RecordValue:
        if not isinstance(raw, Mapping):
            names = ", ".join(self.fields)
            raise AnswerError(f"the answer must be a table with the fields {names}; got {_type_name(raw)}")
        values: dict[str, float] = {}
        problems: dict[str, str] = {}
        for name, item in raw.items():
            if name not in self.fields:
                problems[str(name)] = (
                    f"unknown field {name!r}; the fields are {', '.join(self.fields)}"
                )
                continue
            try:
                values[name] = parse_number(item, f"field {name!r}")
            except AnswerError as exc:
                problems[name] = str(exc)
        missing = frozenset(name for name in self.fields if name not in raw)
        for name in self.fields:
            if name in missing:
                problems[name] = f"missing field {name!r}"
        return RecordValue(values, problems, missing)

    def normalise(self, expected: Any) -> RecordValue:
        value = self.parse(self.to_raw(expected))
        if value.problems:
            raise ValueError("; ".join(value.problems.values()))
        return value

    def evaluate(self, value: Any, expected: Any) -> Evaluation:
        parts: list[PartResult] = []
        earned = 0.0
        for name, number in self.fields.items():
            if name in value.problems:
                verdict = "missing" if name in value.missing else "invalid"
                parts.append(PartResult(name, verdict, 0.0, value.problems[name]))
                continue
            result = number.evaluate(value.values[name], expected.values[name], part=name).parts[0]
            parts.append(result)
            earned += self._weight(name) * result.score
        for name, message in value.problems.items():
            if name not in self.fields:
                parts.append(PartResult(name, "invalid", 0.0, message))
        total = sum(self._weight(name) for name in self.fields)
        return Evaluation(earned / total, tuple(parts))

    def matches(self, value: Any, wrong: Any) -> bool:
        given = wrong.values if isinstance(wrong, RecordValue) else wrong
        if not given:
            return False
        for name, wrong_value in given.items():
            if name not in value.values:
                return False
            number = self.fields[name]
            if number.evaluate(value.values[name], wrong_value).score < 1.0:
                return False
        return True

    def normalise_wrong(self, wrong: Any) -> dict[str, float]:
        """Check a misconception's (possibly partial) record of wrong values."""
        if not isinstance(wrong, Mapping) or not wrong:
            raise ValueError("a record misconception must give at least one field")
        unknown = set(wrong) - set(self.fields)
        if unknown:
            raise ValueError(f"unknown field(s) in misconception: {', '.join(sorted(unknown))}")
        return {name: parse_number(float(v), f"field {name!r}") for name, v in wrong.items()}

    def to_raw(self, value: Any) -> dict[str, float]:
        values = value.values if isinstance(value, RecordValue) else value
        return {name: float(values[name]) for name in self.fields if name in values}

    def wrong_raw(self, expected: Any, wrong: Any) -> dict[str, float]:
        """The expected record with the misconception's fields replaced."""
        return {**self.to_raw(expected), **self.to_raw(wrong)}

    def shown(self, expected: Any) -> dict[str, float]:
        values = expected.values if isinstance(expected, RecordValue) else expected
        return {name: number.shown(values[name]) for name, number in self.fields.items() if name in values}

    def describe(self) -> str:
        """The fields and each one's tolerance (once, when they all share it).

        Examples
        --------
        >>> Record({"alpha": Number(rtol=1e-3), "mean": Number(rtol=1e-3)}).describe()
        'a table of numbers with the fields alpha, mean, each within 0.1% relative'
        >>> Record({"nll": Number(rtol=1e-4), "ppl": Number(sig_figs=3)}).describe()
        'a table of numbers with the fields nll (within 0.01% relative), ppl (to 3 significant figures)'
        """
        words = {name: number.tolerance_words() for name, number in self.fields.items()}
        if len(set(words.values())) == 1:
            return f"a table of numbers with the fields {', '.join(self.fields)}, each {next(iter(words.values()))}"
        return "a table of numbers with the fields " + ", ".join(f"{n} ({w})" for n, w in words.items())

    def template(self) -> Any:
        return {name: "" for name in self.fields}


def _decimal(x: float) -> str:
    """``x`` as a plain decimal without an exponent or trailing zeros (0.000001, 0.1, 5)."""
    text = f"{x:.12f}".rstrip("0").rstrip(".")
    return text if text not in ("", "0") else f"{x:g}"


def split_entries(text: str) -> list[str]:
    """Split a list typed as one text into its entries.

    Entries are separated by ``;``, new lines, or commas outside parentheses (so
    ``log(8, 2)`` stays one entry). A comma followed by exactly three digits, inside a
    number whose first group has one to three digits and no space after the comma, is
    a thousands separator: ``"50,257"`` is one entry, ``"1, 2"`` and ``"0.2,0.8"`` two.

    Examples
    --------
    >>> split_entries("0.2, 0.8")
    ['0.2', '0.8']
    >>> split_entries("50,257; 1,000,000, log(8, 2)")
    ['50,257', '1,000,000', 'log(8, 2)']
    """
    pieces: list[tuple[str, str]] = []  # (entry, the separator that ended it)
    depth, start = 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and char in ",;\n":
            pieces.append((text[start:i], char))
            start = i + 1
    pieces.append((text[start:], ""))
    entries: list[str] = []
    joinable = False  # the last entry ended with a comma directly followed by a digit group
    for piece, separator in pieces:
        if joinable and re.fullmatch(r"\d{3}(?:\.\d+)?", piece) and _THOUSANDS.fullmatch(entries[-1] + "," + piece):
            entries[-1] += "," + piece
        else:
            entries.append(piece.strip())
        joinable = separator == "," and re.fullmatch(r"\s*[+-]?\d{1,3}(?:,\d{3})*", entries[-1]) is not None
    return [e for e in entries if e]
