"""The Entropy page's "real model" source: P is the model's top-n next tokens, renormalised.

References: the model's raw logits, sorted and softmaxed with scipy; scipy.stats.entropy
for H and KL (the page's own functions are not used).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats

from tests.dashboard.helpers import metric, page_test

pytestmark = pytest.mark.xdist_group("lm")

FOUR = 0.5e-4 + 1e-9  # 4 decimals shown


def shown(at, label: str) -> float:
    return float(metric(at, label).replace(",", ""))


def top_logits(lm, prompt: str, n: int) -> np.ndarray:
    logits = lm.logits(lm.encode(prompt))[-1].astype(np.float64)
    return np.sort(logits)[::-1][:n]


@pytest.fixture
def at(lm):
    at = page_test("entropy.py")
    at.query_params["source"] = "model"
    return at.run()


def test_typed_vocabulary_stays_the_default():
    at = page_test("entropy.py").run()
    assert not at.exception and not at.error
    assert at.radio(key="source").value == "typed vocabulary"
    assert at.text_input(key="tokens").value == "the, a, cat, dog, sat, ran"


def test_the_model_at_t_1_against_itself_has_no_kl(at, lm):
    assert not at.exception and not at.error
    p = special.softmax(top_logits(lm, "The capital of France is", 10))
    assert shown(at, "H(P), nats") == pytest.approx(stats.entropy(p), abs=FOUR)
    assert shown(at, "KL(P‖Q), nats") == pytest.approx(0.0, abs=FOUR)
    assert shown(at, "Perplexity") == pytest.approx(math.exp(stats.entropy(p)), abs=0.5e-3 + 1e-9)
    assert any("hold" in c.value and "␣" in c.value for c in at.caption)


def test_prompt_temperature_and_size_move_the_numbers(at, lm):
    at.text_input(key="lm_prompt").set_value("Once upon a time")
    at.number_input(key="lm_top").set_value(25)
    at.slider(key="temperature").set_value(2.0).run()
    assert not at.exception and not at.error
    z = top_logits(lm, "Once upon a time", 25)
    p, q = special.softmax(z), special.softmax(z / 2.0)
    assert shown(at, "H(P), nats") == pytest.approx(stats.entropy(p), abs=FOUR)
    assert shown(at, "H(Q), nats") == pytest.approx(stats.entropy(q), abs=FOUR)
    assert shown(at, "KL(P‖Q), nats") == pytest.approx(stats.entropy(p, q), abs=FOUR)


def test_an_empty_prompt_is_named(at):
    at.text_input(key="lm_prompt").set_value(" ").run()
    assert not at.exception
    assert len(at.error) == 1 and "“Prompt for the model” is empty" in at.error[0].value
