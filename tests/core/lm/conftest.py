"""Fixtures for the language-model tests: each model is loaded once per test session.

All tests here (and core/lm's doctests, see tests/conftest.py) share the xdist group
"lm", so that under ``pytest -n 2 --dist loadgroup`` one worker loads the models.
The weights come from ``make install``; without them the tests skip with the install
step as reason, except under ``CI=true``, where that is a failure. The transformers
reference skips only when transformers itself is not installed.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.lm import LanguageModel, ModelNotInstalledError, gguf_path, language_model
from tests.ci import skip_or_fail_in_ci

# prompts for the reference checks: prose, digits, code, non-ASCII, a chat turn
PROMPTS = [
    "The capital of France is",
    "In 2024, 12,345 people counted 0.5 litres of water per day.",
    "def mean(xs):\n    return sum(xs) / len(xs)\n",
    "Entropy H(p) = −Σ p log p; naïve café résumé — 東京 🙂",
    "<|im_start|>user\nWhat is the perplexity of a fair die?<|im_end|>\n<|im_start|>assistant\n",
]


def load_or_skip() -> LanguageModel:
    """The shipped model; without its weights a skip naming the install step (a failure in CI)."""
    try:
        return language_model()
    except ModelNotInstalledError as err:
        skip_or_fail_in_ci(str(err), "CI must run the language-model tests (make install installs the weights)")
        raise


@pytest.fixture(scope="session")
def lm() -> LanguageModel:
    return load_or_skip()


@pytest.fixture(scope="session")
def hf(lm: LanguageModel) -> tuple[Any, Any]:
    """transformers' model and tokenizer built from the same GGUF file."""
    pytest.importorskip("transformers", reason="transformers (requirements-dev.txt) is the reference")
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = gguf_path()
    model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, dtype=torch.float32)
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
    return model, tokenizer
