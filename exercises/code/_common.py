"""Helpers shared by the code exercises: the prompt's tail and input draws (not a plugin)."""

from __future__ import annotations

import numpy as np

from grader import Code

#: The modules every code exercise allows.
IMPORTS = ("numpy", "math")


def code_prompt(kind: Code, body: str) -> str:
    """``body`` followed by the signature, the allowed imports and the starter code."""
    return (
        f"{body.strip()}\n\n"
        f"Write `{kind.signature}` in Python. You may import {', '.join(kind.imports)}; "
        "nothing else (no scipy, torch, core or grader). Your function is called on "
        "random inputs drawn for your variant and on edge cases; each check compares what "
        "it returns with the course's reference. Start from:\n\n"
        f"```python\n{kind.starter()}```\n"
    )


def distribution(rng: np.random.Generator, size: int, *, zeros: int = 0) -> list[float]:
    """A probability vector of ``size`` entries in twentieths (``zeros`` of them 0)."""
    while True:
        counts = rng.integers(1, 8, size=size)
        counts[rng.choice(size, size=zeros, replace=False)] = 0
        if counts.sum() > 0:
            return (counts / counts.sum()).tolist()


def rounded(rng: np.random.Generator, lo: float, hi: float, size: int, digits: int = 3) -> list[float]:
    """``size`` uniform reals in [lo, hi) rounded to ``digits`` decimals."""
    return np.round(rng.uniform(lo, hi, size=size), digits).tolist()
