"""The page-parameter contract: each page's URL state, declared once and typed.

A page keeps its state in the URL query (``?alpha0=2&heads=3``). :class:`Param` declares
one key (its type, bounds, default, accepted spellings); :class:`PageParams` is the set
for one page. The page builds its widgets from it, exercise links are built and checked
with :meth:`PageParams.link`, and the docs table of every page's keys is generated from
it. This module imports neither streamlit nor grader, so grader-side checks and tests
can use it on their own.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args
from urllib.parse import urlencode

import numpy as np

__all__ = ["Kind", "PageParams", "Param"]

#: The value types a parameter can have.
Kind = Literal["float", "int", "text", "choice", "bool"]
_KINDS: tuple[str, ...] = get_args(Kind)

# Spellings accepted for a bool in a hand-typed URL (lower case); "true"/"false" is canonical.
_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")


@dataclass(frozen=True)
class Param:
    """One URL query parameter of a page.

    Parameters
    ----------
    key : str
        The URL query key (also the widget's key), e.g. ``"alpha0"``.
    label : str
        The widget's label.
    kind : {"float", "int", "text", "choice", "bool"}
        The value's type.
    default : object
        The value when the URL does not give one; must itself pass :meth:`check`.
    lo, hi : float, optional
        Inclusive bounds for ``"float"`` and ``"int"``.
    step : float, optional
        The widget's step (not enforced on values).
    choices : tuple of str
        For ``"choice"``: the labels, as shown and as written to the URL.
    aliases : mapping of str to str
        Extra accepted spellings of a choice (case-insensitive) -> its label, e.g.
        ``{"funnel": "Funnel"}``.
    max_chars : int, optional
        For ``"text"``: the longest accepted value.
    help : str
        One sentence saying what the parameter means (goes into the docs table).

    Raises
    ------
    ValueError
        If the declaration itself is inconsistent (unknown kind, ``lo > hi``, a choice
        parameter without choices, an alias to a label that is not a choice, or a
        default that does not pass :meth:`check`).
    """

    key: str
    label: str
    kind: Kind
    default: object
    lo: float | None = None
    hi: float | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict, hash=False)
    max_chars: int | None = None
    help: str = ""
    # Case-folded label and alias -> label, filled in by __post_init__ for parse().
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False, hash=False, default_factory=dict)

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("`key` must be a non-empty string")
        if self.kind not in _KINDS:
            raise ValueError(f"param `{self.key}`: `kind` must be one of {list(_KINDS)}, got {self.kind!r}")
        if self.lo is not None and self.hi is not None and self.lo > self.hi:
            raise ValueError(f"param `{self.key}`: `lo` ({self.lo}) must not exceed `hi` ({self.hi})")
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"param `{self.key}`: a choice parameter needs `choices`")
        folded = [c.casefold() for c in self.choices]
        if len(set(folded)) != len(folded):
            raise ValueError(f"param `{self.key}`: `choices` {list(self.choices)} repeat a label (ignoring case)")
        bad = {a: t for a, t in self.aliases.items() if t not in self.choices}
        if bad:
            raise ValueError(
                f"param `{self.key}`: `aliases` {bad} point at labels not in choices {list(self.choices)}"
            )
        self._lookup.update({c.casefold(): c for c in self.choices})
        self._lookup.update({a.casefold(): t for a, t in self.aliases.items()})
        try:
            self.check(self.default)
        except ValueError as exc:
            raise ValueError(f"param `{self.key}`: the `default` is invalid: {exc}") from exc

    # -- reading values -------------------------------------------------------------------

    def parse(self, raw: str) -> object:
        """Turn URL text into the canonical typed value.

        Parameters
        ----------
        raw : str
            The query value as typed or written to the URL.

        Returns
        -------
        object
            A float, int, str (text or the choice's label) or bool.

        Raises
        ------
        TypeError
            If ``raw`` is not a string.
        ValueError
            If the text is not of the parameter's type or is outside its bounds; the
            message names the key and the bound.

        Examples
        --------
        >>> Param("unit", "Unit", "choice", "nats", choices=("nats", "bits")).parse("Bits")
        'bits'
        >>> Param("n", "n", "int", 3, lo=0, hi=10).parse("7")
        7
        """
        if not isinstance(raw, str):
            raise TypeError(f"param `{self.key}`: parse() takes the URL text, got {type(raw).__name__}")
        text = raw.strip()
        if self.kind == "float":
            return self._bounded(self._float_from_text(text))
        if self.kind == "int":
            return self._bounded(self._int_from_text(text))
        if self.kind == "bool":
            folded = text.casefold()
            if folded in _TRUE:
                return True
            if folded in _FALSE:
                return False
            raise ValueError(f"param `{self.key}`: {raw!r} is not true or false")
        if self.kind == "choice":
            label = self._lookup.get(text.casefold())
            if label is None:
                raise ValueError(
                    f"param `{self.key}`: {raw!r} is not one of {list(self.choices)}"
                    + (f" (or aliases {sorted(self.aliases)})" if self.aliases else "")
                )
            return label
        return self._text(raw)  # text keeps its own whitespace: it may be a table

    def check(self, value: object) -> object:
        """Turn a Python value into the canonical typed value.

        Strings are read as URL text (:meth:`parse`), so exercise links that give every
        value as a string keep working.

        Raises
        ------
        TypeError
            If ``value`` has a type that cannot be this parameter's.
        ValueError
            If it is outside the bounds, not an integer for an ``"int"``, not finite for a
            ``"float"``, not a choice, or too long; the message names the key and bound.

        Examples
        --------
        >>> Param("p", "p", "float", 0.5, lo=0.0, hi=1.0).check(1)
        1.0
        """
        if isinstance(value, str):
            return self.parse(value)
        if self.kind == "bool":
            if isinstance(value, (bool, np.bool_)):
                return bool(value)
            raise TypeError(f"param `{self.key}`: expected a bool, got {type(value).__name__}")
        if self.kind in ("float", "int"):
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(f"param `{self.key}`: expected a number, got {type(value).__name__}")
            number = float(value)
            if not math.isfinite(number):
                raise ValueError(f"param `{self.key}`: {value!r} is not a finite number")
            if self.kind == "int":
                if not isinstance(value, numbers.Integral) and not number.is_integer():
                    raise ValueError(f"param `{self.key}`: {value!r} is not an integer")
                exact = int(value) if isinstance(value, numbers.Integral) else int(number)
                return self._bounded(exact)
            return self._bounded(number)
        raise TypeError(f"param `{self.key}`: expected a string, got {type(value).__name__}")

    def to_query(self, value: object) -> str:
        """The canonical URL text of ``value`` (checked first).

        Examples
        --------
        >>> Param("on", "On", "bool", False).to_query(True)
        'true'
        """
        canonical = self.check(value)
        if isinstance(canonical, bool):
            return "true" if canonical else "false"
        if isinstance(canonical, float):
            return repr(canonical)  # shortest text that reads back to the same float
        return str(canonical)

    # -- helpers --------------------------------------------------------------------------

    def _float_from_text(self, text: str) -> float:
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"param `{self.key}`: {text!r} is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"param `{self.key}`: {text!r} is not a finite number")
        return number

    def _int_from_text(self, text: str) -> int:
        try:
            return int(text)
        except ValueError:
            pass
        number = self._float_from_text(text)  # "10.0" is the integer 10; "2.5" is not
        if not number.is_integer():
            raise ValueError(f"param `{self.key}`: {text!r} is not an integer")
        return int(number)

    def _bounded(self, number: float | int) -> float | int:
        if self.lo is not None and number < self.lo:
            raise ValueError(f"param `{self.key}`: {number} is below the minimum {self.lo}")
        if self.hi is not None and number > self.hi:
            raise ValueError(f"param `{self.key}`: {number} is above the maximum {self.hi}")
        return number

    def _text(self, text: str) -> str:
        if self.max_chars is not None and len(text) > self.max_chars:
            raise ValueError(
                f"param `{self.key}`: the text has {len(text)} characters, more than the maximum {self.max_chars}"
            )
        return text


@dataclass(frozen=True)
class PageParams:
    """Every URL parameter of one page.

    Parameters
    ----------
    url_path : str
        The page's URL segment, e.g. ``"beta-binomial"``.
    title : str
        The page's title.
    params : tuple of Param
        Its parameters, keys unique.

    Raises
    ------
    ValueError
        If two parameters share a key.
    """

    url_path: str
    title: str
    params: tuple[Param, ...]

    def __post_init__(self) -> None:
        keys = [p.key for p in self.params]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise ValueError(f"page `{self.url_path}`: keys {repeated} are declared more than once")

    @property
    def keys(self) -> tuple[str, ...]:
        """The URL keys, in declaration order."""
        return tuple(p.key for p in self.params)

    def __getitem__(self, key: str) -> Param:
        """The parameter with URL key ``key``.

        Raises
        ------
        KeyError
            If the page has no such key; the message lists the valid keys.
        """
        for param in self.params:
            if param.key == key:
                return param
        raise KeyError(f"page `{self.url_path}` has no key {key!r}; valid keys: {list(self.keys)}")

    def __contains__(self, key: object) -> bool:
        return key in self.keys

    def defaults(self) -> dict[str, object]:
        """Every key's default value."""
        return {p.key: p.default for p in self.params}

    def link(self, values: Mapping[str, object]) -> str:
        """The page's relative URL with ``values`` in its query, e.g. ``"beta-binomial?heads=3"``.

        Keys are written in declaration order, each value as :meth:`Param.to_query`.

        Raises
        ------
        ValueError
            If a key is unknown (the message lists the valid keys) or a value is invalid;
            the message names the page and the key.

        Examples
        --------
        >>> page = PageParams("coin", "Coin", (Param("heads", "Heads", "int", 0, lo=0),))
        >>> page.link({"heads": 3})
        'coin?heads=3'
        """
        unknown = [k for k in values if k not in self.keys]
        if unknown:
            raise ValueError(f"page `{self.url_path}`: unknown keys {unknown}; valid keys: {list(self.keys)}")
        query: dict[str, str] = {}
        for param in self.params:
            if param.key in values:
                try:
                    query[param.key] = param.to_query(values[param.key])
                except (TypeError, ValueError) as exc:
                    raise ValueError(f"page `{self.url_path}`: {exc}") from exc
        return f"{self.url_path}?{urlencode(query)}" if query else self.url_path

    def normalise(self, query: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        """Split a URL query into canonical texts and errors, for the keys this page declares.

        Parameters
        ----------
        query : mapping of str to str
            E.g. ``st.query_params``; keys the page does not declare are ignored.

        Returns
        -------
        canonical : dict of str to str
            Each valid value as :meth:`Param.to_query` writes it (``"Bits"`` -> ``"bits"``).
        errors : dict of str to str
            Each invalid value's error message, by key.

        Examples
        --------
        >>> page = PageParams("e", "E", (Param("unit", "Unit", "choice", "nats", choices=("nats", "bits")),))
        >>> page.normalise({"unit": "BITS", "other": "x"})
        ({'unit': 'bits'}, {})
        """
        canonical: dict[str, str] = {}
        errors: dict[str, str] = {}
        for param in self.params:
            if param.key in query:
                try:
                    canonical[param.key] = param.to_query(param.parse(query[param.key]))
                except (TypeError, ValueError) as exc:
                    errors[param.key] = str(exc)
        return canonical, errors
