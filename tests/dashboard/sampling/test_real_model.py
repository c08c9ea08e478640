"""The Sampling page's "real model" source: the model's top-n next tokens and real logits.

References: the model's raw logits sorted with numpy, softmax and the nucleus computed
here with scipy and numpy (not with the page's functions).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from tests.dashboard.helpers import metric, page_test

pytestmark = pytest.mark.xdist_group("lm")


@pytest.fixture
def at(lm):
    at = page_test("sampling.py")
    at.query_params["tok_source"] = "real model"
    return at.run()


def test_typed_tokens_stay_the_default():
    at = page_test("sampling.py").run()
    assert not at.exception and not at.error
    assert at.radio(key="tok_source").value == "typed vocabulary"


def test_the_table_holds_the_models_top_tokens(at, lm):
    assert not at.exception and not at.error
    logits = lm.logits(lm.encode("The capital of France is"))[-1].astype(np.float64)
    order = np.argsort(-logits, kind="stable")[:10]
    table = at.dataframe[0].value
    assert list(table["token"]) == [lm.token_text(int(i)).replace(" ", "␣") for i in order]
    np.testing.assert_allclose(table["logit"], logits[order], rtol=1e-5)  # float32 forward passes
    np.testing.assert_allclose(table["p_softmax"], special.softmax(logits[order]), rtol=1e-4)


def test_top_p_on_real_logits(at, lm):
    at.number_input(key="tok_top").set_value(30)
    at.slider(key="top_p").set_value(0.95).run()
    assert not at.exception and not at.error
    logits = np.sort(lm.logits(lm.encode("The capital of France is"))[-1].astype(np.float64))[::-1][:30]
    p = special.softmax(logits)
    size = int(np.searchsorted(np.cumsum(p), 0.95 - 1e-12) + 1)
    assert metric(at, "Tokens kept") == f"{size} of 30"
    assert metric(at, "Mass kept before renormalising") == f"{p[:size].sum():.3f}"


def test_an_overlong_prompt_is_named(at):
    at.text_input(key="tok_prompt").set_value("🙂" * 200).run()
    assert not at.exception
    assert len(at.error) == 1 and "“Prompt for the model”" in at.error[0].value
    assert "at most 256 tokens" in at.error[0].value
