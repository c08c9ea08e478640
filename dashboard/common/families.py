"""The five distribution families as the pages label them (and write them to the URL)."""

from __future__ import annotations

from core.distributions import FAMILIES

__all__ = ["FAMILY_LABELS"]

#: Core's names, capitalised; the lower-case names are accepted in a URL too, since
#: choices match without regard to case.
FAMILY_LABELS = tuple(name.capitalize() for name in FAMILIES)
