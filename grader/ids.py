"""The one student-id rule, used by the sheet, the grader, the gradebook and the web form.

A student id becomes part of file names (``sheet-<id>.md``), database keys and CSV
cells, and seeds the student's variants, so every entry point reads it with
:func:`check_student_id`:

- it is NFKC-normalised first, so ``ｓ１２３`` (fullwidth) is the same student as ``s123``;
- then 1 to :data:`MAX_STUDENT_ID` characters, each a letter, an ASCII digit or one of
  ``. _ - @``, with no ``/``, ``\\``, spaces, control characters or emoji;
- its letters all come from one script (Latin, Greek, Cyrillic, ... ; Chinese, Japanese
  and Korean count as one), so a Cyrillic ``а`` cannot pose as a Latin ``a`` in ``аdmin``.
"""

from __future__ import annotations

import unicodedata

__all__ = ["MAX_STUDENT_ID", "check_student_id"]

#: Longest student id, in characters after normalisation (the gradebook's column width).
MAX_STUDENT_ID = 64

_PUNCTUATION = frozenset("._-@")
_DIGITS = frozenset("0123456789")
# Scripts written together in one name: Han with kana or hangul.
_EAST_ASIAN = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO")


def _script(letter: str) -> str:
    """The script of a letter, from the first word of its Unicode name."""
    first = unicodedata.name(letter, "UNKNOWN").split(" ", 1)[0]
    return "EAST ASIAN" if first.startswith(_EAST_ASIAN) else first


def check_student_id(student_id: object, name: str = "student_id") -> str:
    """Return the normalised student id, or raise naming the argument and the problem.

    Parameters
    ----------
    student_id : object
        The id as typed.
    name : str
        How the value is called in error messages.

    Returns
    -------
    str
        The NFKC-normalised id.

    Raises
    ------
    TypeError
        If ``student_id`` is not text.
    ValueError
        If it breaks the rule of this module (the message says which part).

    Examples
    --------
    >>> check_student_id("s123")
    's123'
    >>> check_student_id("ｓ１２３")
    's123'
    >>> check_student_id("x/../../ESCAPED")
    Traceback (most recent call last):
    ...
    ValueError: `student_id` may hold only letters, digits and . _ - @; got 'x/../../ESCAPED' (found '/')
    """
    if not isinstance(student_id, str):
        raise TypeError(f"`{name}` must be text; got {type(student_id).__name__}")
    normal = unicodedata.normalize("NFKC", student_id)
    if not 0 < len(normal) <= MAX_STUDENT_ID:
        raise ValueError(
            f"`{name}` must be 1 to {MAX_STUDENT_ID} characters long; got {len(normal)}"
        )
    scripts: set[str] = set()
    for char in normal:
        if char in _DIGITS or char in _PUNCTUATION:
            continue
        if unicodedata.category(char).startswith("L"):
            scripts.add(_script(char))
            continue
        raise ValueError(
            f"`{name}` may hold only letters, digits and . _ - @; got {student_id!r} (found {char!r})"
        )
    if len(scripts) > 1:
        raise ValueError(
            f"`{name}` mixes letters of several scripts ({', '.join(sorted(scripts)).title()}), "
            f"so it could pose as another id; got {student_id!r}"
        )
    return normal
