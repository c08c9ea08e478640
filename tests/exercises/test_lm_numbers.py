"""The stored language-model numbers behind the ``lm`` exercises equal the live model's.

``exercises/lm_numbers.json`` is written by ``python -m exercises._lm_numbers --write``;
grading reads it and never runs the model. Here the model runs once more on every
stored prompt, pair, continuation and sentence: the token ids are the same, and every
logit and log-probability agrees to 2e-3 (BLAS rounding differs between machines by far
less; the sheet prints logits to 0.01 and probabilities to four digits, computed from the
stored numbers, so a rerun cannot move a student's answer).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import log_softmax

from core.lm import LanguageModel
from exercises import _lm_numbers as stored
from tests.core.lm.conftest import load_or_skip

pytestmark = [pytest.mark.xdist_group("lm")]

TOL = 2e-3


@pytest.fixture(scope="module")
def lm() -> LanguageModel:
    return load_or_skip()


def _next(lm: LanguageModel, prompt: str) -> tuple[np.ndarray, np.ndarray]:
    logits = lm.next_logits(lm.encode(prompt)).astype(np.float64)
    return logits, log_softmax(logits)


def _assert_top(logits: np.ndarray, ids: list[int]) -> None:
    """``ids`` are the live top tokens, in order, up to near-ties."""
    live = logits[ids]
    assert np.all(np.diff(live) <= TOL)
    others = np.delete(logits, ids)
    assert others.max() <= live.min() + TOL


def test_the_file_covers_the_lists() -> None:
    data = stored.numbers()
    assert list(data["next_token"]) == list(stored.NEXT_TOKEN_PROMPTS)
    assert [(p["p"], p["q"]) for p in data["pairs"]] == list(stored.PAIRS)
    assert [(p["old"], p["new"], p["text"]) for p in data["policies"]] == list(stored.POLICY_PAIRS)
    assert list(data["sentences"]) == list(stored.SENTENCES)
    assert all(len(rows) == stored.TOP for rows in data["next_token"].values())


def test_next_token_numbers_match_the_model(lm: LanguageModel) -> None:
    for prompt, rows in stored.numbers()["next_token"].items():
        logits, logp = _next(lm, prompt)
        ids = [r["id"] for r in rows]
        _assert_top(logits, ids)
        np.testing.assert_allclose([r["logit"] for r in rows], logits[ids], atol=TOL, err_msg=prompt)
        np.testing.assert_allclose([r["logprob"] for r in rows], logp[ids], atol=TOL, err_msg=prompt)
        assert [r["text"] for r in rows] == [lm.token_text(i) for i in ids]


def test_pair_numbers_match_the_model(lm: LanguageModel) -> None:
    for pair in stored.numbers()["pairs"]:
        (logits, logp_p), (_, logp_q) = _next(lm, pair["p"]), _next(lm, pair["q"])
        ids = [t["id"] for t in pair["tokens"]]
        _assert_top(logits, ids)
        np.testing.assert_allclose([t["logprob_p"] for t in pair["tokens"]], logp_p[ids], atol=TOL)
        np.testing.assert_allclose([t["logprob_q"] for t in pair["tokens"]], logp_q[ids], atol=TOL)


def _scored(lm: LanguageModel, prefix: str | None, text: str) -> tuple[list[int], np.ndarray]:
    """Token ids of ``text`` and their log-probabilities, computed here from the logits."""
    ids = lm.encode(text)
    if prefix is None:
        logp = log_softmax(lm.logits(ids).astype(np.float64), axis=-1)
        return ids[1:].tolist(), logp[np.arange(len(ids) - 1), ids[1:]]
    head = lm.encode(prefix)
    logp = log_softmax(lm.logits(np.concatenate([head, ids])).astype(np.float64), axis=-1)
    rows = np.arange(len(head) - 1, len(head) + len(ids) - 1)
    return ids.tolist(), logp[rows, ids]


def test_continuation_numbers_match_the_model(lm: LanguageModel) -> None:
    for policy in stored.numbers()["policies"]:
        tokens = policy["tokens"]
        for side in ("old", "new"):
            ids, logp = _scored(lm, policy[side], policy["text"])
            assert [t["id"] for t in tokens] == ids
            np.testing.assert_allclose([t[f"logprob_{side}"] for t in tokens], logp, atol=TOL)


def test_sentence_numbers_match_the_model(lm: LanguageModel) -> None:
    for sentence, rows in stored.numbers()["sentences"].items():
        ids, logp = _scored(lm, None, sentence)
        assert [r["id"] for r in rows] == ids
        np.testing.assert_allclose([r["logprob"] for r in rows], logp, atol=TOL, err_msg=sentence)
        assert sentence.endswith("".join(r["text"] for r in rows))
