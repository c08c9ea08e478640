"""The Language model page's URL keys: type, bounds, default and meaning of each (no streamlit)."""

from __future__ import annotations

from dashboard.common.page_params import PageParams, Param
from dashboard.common.units import unit_param

__all__ = ["COMPARE", "PARAMS", "VOCAB_SIZE"]

#: SmolLM2-135M's vocabulary size: top-k's upper bound (the model itself is not loaded here).
VOCAB_SIZE = 49_152

#: What the two policies differ in: their prompt, or their temperature on the same prompt.
COMPARE = ("two prompts", "two temperatures")

PARAMS = PageParams(
    "language_model",
    "Language model",
    (
        Param(
            "prompt",
            "Prompt",
            "text",
            "The capital of France is",
            max_chars=500,
            help="Text the model reads; the page shows its distribution of the next token.",
        ),
        Param(
            "temperature",
            "Temperature T",
            "float",
            1.0,
            lo=0.1,
            hi=5.0,
            step=0.05,
            help="Softmax temperature applied to the model's logits.",
        ),
        Param(
            "top_k",
            "Top-k (0 = off)",
            "int",
            0,
            lo=0,
            hi=VOCAB_SIZE,
            step=1,
            help="Keep only the k most probable tokens (0 turns it off).",
        ),
        Param(
            "top_p",
            "Top-p (1.0 = off)",
            "float",
            1.0,
            lo=0.01,
            hi=1.0,
            step=0.01,
            help="Keep the smallest set of tokens whose probability reaches p (1.0 turns it off).",
        ),
        Param(
            "seed",
            "Seed",
            "int",
            0,
            lo=0,
            hi=2**31 - 1,
            step=1,
            help="Random seed of the token draws, so a generation can be repeated exactly.",
        ),
        Param(
            "steps",
            "Tokens to generate",
            "int",
            10,
            lo=1,
            hi=50,
            step=1,
            help="How many tokens one generation draws, one step at a time.",
        ),
        Param(
            "generated",
            "Tokens generated",
            "int",
            0,
            lo=0,
            hi=50,
            step=1,
            help="How many tokens the shown generation drew (0: none yet); a link with it draws them again, with the same prompt, sampler settings and seed.",
        ),
        Param(
            "bars",
            "Tokens per step in the player",
            "int",
            10,
            lo=3,
            hi=20,
            step=1,
            help="How many of each step's likeliest tokens the player draws as bars (the drawn one is always among them).",
        ),
        Param(
            "sentence",
            "Sentence to score",
            "text",
            "The cat sat on the mat.",
            max_chars=500,
            help="Text whose tokens the model scores one by one (surprisal, NLL, perplexity).",
        ),
        unit_param(),
        Param(
            "compare",
            "The two policies differ in",
            "choice",
            COMPARE[0],
            choices=COMPARE,
            aliases={"prompts": COMPARE[0], "temperatures": COMPARE[1]},
            help="Compare the next-token distributions of two prompts, or of one prompt at two temperatures.",
        ),
        Param(
            "prompt_b",
            "Second prompt (the new policy)",
            "text",
            "The capital of Germany is",
            max_chars=500,
            help="The second prompt of the two-policies KL.",
        ),
        Param(
            "temperature_b",
            "Second temperature (the new policy)",
            "float",
            1.5,
            lo=0.1,
            hi=5.0,
            step=0.05,
            help="The new policy's temperature when the two policies differ in temperature.",
        ),
        Param(
            "kl_tokens",
            "Tokens in the continuation",
            "int",
            20,
            lo=1,
            hi=50,
            step=1,
            help="Length of the continuation drawn from π_old along which the ratios and KL estimators are taken.",
        ),
        Param(
            "kl_seed",
            "Seed of the continuation",
            "int",
            0,
            lo=0,
            hi=2**31 - 1,
            step=1,
            help="Random seed of the continuation drawn from π_old.",
        ),
        Param(
            "clip",
            "PPO clip range ε",
            "float",
            0.2,
            lo=0.05,
            hi=0.5,
            step=0.01,
            help="PPO keeps the ratio π_new/π_old inside [1 − ε, 1 + ε].",
        ),
    ),
)
