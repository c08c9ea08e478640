"""Whether a course secret is strong enough for a hosted course, and making one that is.

Every variant is seeded by HMAC-SHA256 of the course secret (:mod:`grader.variants`),
so a guessable secret lets a student compute anyone's variant from their own sheet
(a short word such as ``course-2026`` falls to a search over one sheet in about a
minute). Hosted mode therefore refuses the public default and anything shorter than
:data:`MIN_SECRET_LENGTH` characters or with too few distinct characters.
"""

from __future__ import annotations

import secrets

from grader.variants import DEFAULT_SECRET

__all__ = ["MIN_SECRET_LENGTH", "WeakSecret", "check_hosted_secret", "new_secret", "secret_weakness"]

#: Shortest secret accepted in hosted mode (``new_secret`` makes 43 characters, 256 bits).
MIN_SECRET_LENGTH = 32
_MIN_DISTINCT = 10


class WeakSecret(ValueError):
    """A course secret hosted mode refuses."""


def new_secret() -> str:
    """A fresh secret: 256 random bits, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(32)


def secret_weakness(secret: str | None) -> str | None:
    """Why ``secret`` is too weak for a hosted course, or None if it is strong enough.

    Examples
    --------
    >>> secret_weakness("course-2026")
    'it is 11 characters long; use at least 32 (probstats secret new makes one)'
    >>> secret_weakness(new_secret()) is None
    True
    """
    if not secret or secret == DEFAULT_SECRET:
        return "it is the public default secret; set one (probstats secret new makes one)"
    if len(secret) < MIN_SECRET_LENGTH:
        return f"it is {len(secret)} characters long; use at least {MIN_SECRET_LENGTH} (probstats secret new makes one)"
    if len(set(secret)) < _MIN_DISTINCT:
        return f"it has only {len(set(secret))} distinct characters; use a random one (probstats secret new)"
    return None


def check_hosted_secret(secret: str | None, name: str = "PROBSTATS_COURSE_SECRET") -> str:
    """``secret`` if strong enough for hosted mode, else :class:`WeakSecret` naming ``name``."""
    reason = secret_weakness(secret)
    if reason is not None:
        raise WeakSecret(f"refusing to start a hosted course with a weak {name}: {reason}")
    assert secret is not None  # secret_weakness rejects None
    return secret
