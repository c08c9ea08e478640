"""What a hosted-course process checks before it serves anyone (the API and the web app alike)."""

from __future__ import annotations

from grader.plugins import Registry
from grader.secret_strength import check_hosted_secret

__all__ = ["check_hosted_startup"]


def check_hosted_startup(secret: str | None, registry: Registry) -> str:
    """The course secret, once it and the exercises are fit to serve a class.

    Raises
    ------
    WeakSecret
        If the secret is the public default, short or repetitive.
    ValueError
        If a plugin failed to load: its exercises would be missing, and submissions to
        them refused as unknown.
    """
    strong = check_hosted_secret(secret)
    if registry.errors:
        problems = "; ".join(str(e) for e in registry.errors)
        raise ValueError(f"refusing to serve with plugin load errors (exercises would be missing): {problems}")
    return strong
