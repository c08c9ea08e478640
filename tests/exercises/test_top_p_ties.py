"""Top-p ties at the cut-off: core.sampling.top_p_filter and sampling.top_p_filter against
Hugging Face's ``TopPLogitsWarper`` (issue 12 §2).

Hugging Face sorts ascending and removes from the low end, so of two tokens tied at the
cut-off it keeps the later-listed one; core keeps the first-listed. The exercise
therefore draws no tie at the cut-off. The frozen tests read the reference computed by
``transformers`` (tests/exercises/data/top_p_transformers.json) and run without it; the
live tests recompute it and skip cleanly when ``transformers`` is absent.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.sampling import top_p_filter
from grader import build_registry, grade_answer, variant_for
from tests.exercises.top_p_reference import FROZEN, cases, hf_kept, tied_at_cut

EXERCISE = build_registry(autoload=False).get("sampling.top_p_filter")
SECRET = "top-p-ties"
FROZEN_DATA = json.loads(FROZEN.read_text(encoding="utf-8"))
TIED = [c for c in FROZEN_DATA["cases"] if tied_at_cut(c["probs"], c["kept"])]
UNTIED = [c for c in FROZEN_DATA["cases"] if not tied_at_cut(c["probs"], c["kept"])]


def _core_kept(probs: list[float], p: float) -> list[int]:
    return [int(i) for i in np.flatnonzero(top_p_filter(probs, p) > 0)]


def _variants(n: int) -> list[dict]:
    return [variant_for(f"s{i}", EXERCISE, secret=SECRET).params for i in range(n)]


# ---------------------------------------------------------------- frozen (no transformers)


def test_frozen_reference_covers_ties_and_the_exercises_draws() -> None:
    assert [(c["probs"], c["p"]) for c in FROZEN_DATA["cases"]] == cases()
    assert len(TIED) >= 8 and len(UNTIED) >= 40
    assert FROZEN_DATA["transformers"].startswith("5.")


def test_hugging_face_keeps_the_later_listed_of_a_tie() -> None:
    for case in TIED:
        probs, kept = case["probs"], case["kept"]
        for i in kept:
            for j in range(len(probs)):
                if j not in kept and probs[j] == probs[i]:
                    assert j < i, case  # the dropped twin is listed first


def test_core_matches_hugging_face_without_ties() -> None:
    for case in UNTIED:
        assert _core_kept(case["probs"], case["p"]) == case["kept"], case


def test_core_matches_hugging_face_on_ties() -> None:
    for case in TIED:
        assert _core_kept(case["probs"], case["p"]) == case["kept"], case


def test_the_exercise_draws_no_tie_at_the_cut_off() -> None:
    for params in _variants(300):
        assert not tied_at_cut(params["probs"], _core_kept(params["probs"], params["p"])), params


def test_the_prompt_states_the_rule_and_renormalises() -> None:
    prompt = EXERCISE.render_prompt(_variants(1)[0])
    assert "the token that crosses p is kept" in prompt
    assert "no two tokens tie at the cut-off" in prompt
    assert "renormalise the kept probabilities" in prompt


# ---------------------------------------------------------------- live (transformers)


def test_frozen_reference_is_what_transformers_computes() -> None:
    pytest.importorskip("transformers")
    for case in FROZEN_DATA["cases"]:
        assert hf_kept(case["probs"], case["p"]) == case["kept"], case


def test_the_exercises_answer_is_what_transformers_keeps() -> None:
    pytest.importorskip("transformers")
    for i, params in enumerate(_variants(50)):
        kept = hf_kept(params["probs"], params["p"])
        probs = np.asarray(params["probs"])
        answer = np.zeros_like(probs)
        answer[kept] = probs[kept] / probs[kept].sum()  # renormalised, as the prompt says
        assert grade_answer(EXERCISE, answer.tolist(), student_id=f"s{i}", secret=SECRET).score == 1.0
