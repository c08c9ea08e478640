"""The "real model" source of a toy next-token page: its three URL keys (no streamlit).

The Entropy and Sampling pages take their next-token logits either from the typed toy
vocabulary (the default) or from the real language model's next-token distribution for
a prompt, restricted to its likeliest tokens. :func:`source_params` declares the three
keys that choice needs, alike on both pages.
"""

from __future__ import annotations

from dashboard.common.page_params import Param

__all__ = ["DEFAULT_PROMPT", "REAL_MODEL", "SOURCES", "TYPED", "source_params"]

TYPED = "typed vocabulary"
REAL_MODEL = "real model"
#: The choices, the typed vocabulary first (the default: pages keep their toy behaviour).
SOURCES = (TYPED, REAL_MODEL)
DEFAULT_PROMPT = "The capital of France is"


def source_params(source_key: str, prompt_key: str, top_key: str, *, role: str) -> tuple[Param, Param, Param]:
    """The source choice, the prompt and the number of the model's top tokens kept.

    Parameters
    ----------
    source_key, prompt_key, top_key : str
        The URL keys.
    role : str
        What the model's distribution is on the page, for the help texts (e.g.
        "P (and, at temperature T, Q)").
    """
    return (
        Param(
            source_key,
            "Next-token logits from",
            "choice",
            TYPED,
            choices=SOURCES,
            aliases={"typed": TYPED, "model": REAL_MODEL},
            help="The typed toy vocabulary and logits, or the real language model's next-token logits for a prompt.",
        ),
        Param(
            prompt_key,
            "Prompt for the model",
            "text",
            DEFAULT_PROMPT,
            max_chars=500,
            help=f"With the real model: the text whose next-token distribution is {role}.",
        ),
        Param(
            top_key,
            "Tokens kept (the model's likeliest)",
            "int",
            10,
            lo=2,
            hi=50,
            step=1,
            help="With the real model: how many of its likeliest next tokens form the vocabulary, renormalised.",
        ),
    )
