"""Typed-in numbers, tables and tokens: lists typed as text so they can live in the URL.

These only split and convert; core then checks the numbers themselves (sums, signs,
finiteness).
"""

from __future__ import annotations

__all__ = ["parse_numbers", "parse_table", "parse_tokens"]


def parse_numbers(text: str, name: str) -> tuple[float, ...]:
    """The numbers in ``text``, separated by commas and/or spaces.

    Raises ``ValueError`` naming ``name`` when the text is empty or a piece is not a number.

    Examples
    --------
    >>> parse_numbers("0.5, 0.25 0.25", "probs")
    (0.5, 0.25, 0.25)
    >>> parse_numbers("1, two", "values")
    Traceback (most recent call last):
    ...
    ValueError: `values` has 'two', which is not a number
    """
    pieces = text.replace(",", " ").split()
    if not pieces:
        raise ValueError(f"`{name}` is empty; type numbers separated by commas")
    numbers = []
    for piece in pieces:
        try:
            numbers.append(float(piece))
        except ValueError:
            raise ValueError(f"`{name}` has {piece!r}, which is not a number") from None
    return tuple(numbers)


def parse_table(text: str, name: str) -> tuple[tuple[float, ...], ...]:
    """A table typed as rows separated by new lines or semicolons, entries by commas.

    Examples
    --------
    >>> parse_table("0.1, 0.2; 0.3, 0.4", "joint")
    ((0.1, 0.2), (0.3, 0.4))
    >>> parse_table("0.5, 0.5; 1", "joint")
    Traceback (most recent call last):
    ...
    ValueError: `joint` row 2 has 1 entries; row 1 has 2
    """
    lines = [line for line in text.replace(";", "\n").splitlines() if line.strip()]
    if not lines:
        raise ValueError(f"`{name}` is empty; type one row per line")
    rows = [parse_numbers(line, name) for line in lines]
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != len(rows[0]):
            raise ValueError(f"`{name}` row {i} has {len(row)} entries; row 1 has {len(rows[0])}")
    return tuple(rows)


def parse_tokens(text: str, name: str) -> tuple[str, ...]:
    """Words separated by commas, stripped; empty pieces are dropped.

    Examples
    --------
    >>> parse_tokens("the, cat , sat", "tokens")
    ('the', 'cat', 'sat')
    """
    tokens = tuple(t.strip() for t in text.split(",") if t.strip())
    if not tokens:
        raise ValueError(f"`{name}` is empty; type tokens separated by commas")
    return tokens

