"""AppTest tests of the Language model page: each widget moves the number it should.

References are computed here from the model's raw logits with scipy and numpy (softmax,
log-softmax, scipy.stats.entropy for entropies and KL, sorting for top-k and top-p), not
with the page's or core's functions.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import special, stats

from dashboard.topics.language_model.params import PARAMS
from tests.dashboard.helpers import metric, page_test

pytestmark = pytest.mark.xdist_group("lm")

PROMPT = str(PARAMS["prompt"].default)
SENTENCE = str(PARAMS["sentence"].default)
FOUR = 0.5e-4 + 1e-9  # a metric shown with 4 decimals


#: Whitespace as the page shows it in token texts.
VISIBLE = str.maketrans({" ": "␣", "\n": "↵", "\t": "⇥", "\r": "␍"})


def shown(at, label: str) -> float:
    return float(metric(at, label).replace(",", ""))


def next_probs(lm, text: str, temperature: float = 1.0) -> np.ndarray:
    logits = lm.logits(lm.encode(text))[-1].astype(np.float64)
    return special.softmax(logits / temperature)


def nucleus_size(probs: np.ndarray, top_p: float) -> int:
    """The smallest number of leading tokens whose probability reaches ``top_p``."""
    cumulative = np.cumsum(np.sort(probs)[::-1])
    return int(np.searchsorted(cumulative, top_p - 1e-12) + 1)


@pytest.fixture
def at(lm):
    return page_test("language_model.py").run()


def test_default_view_shows_the_entropy_of_the_real_distribution(at, lm):
    assert not at.exception and not at.error
    assert [t.label for t in at.tabs] == ["Next token", "Generate", "Score a sentence", "Two policies"]
    p = next_probs(lm, PROMPT)
    assert shown(at, "Entropy at T = 1, nats") == pytest.approx(stats.entropy(p), abs=FOUR)
    assert shown(at, "Entropy at T = 1, bits") == pytest.approx(stats.entropy(p, base=2), abs=FOUR)
    assert shown(at, "Tokens kept") == lm.vocab_size  # both filters off
    table = at.dataframe[0].value
    assert table["token"].iloc[0] == "␣Paris"  # whitespace shown
    order = np.argsort(-p, kind="stable")[:20]
    np.testing.assert_allclose(table["p_model"].iloc[:20], p[order], rtol=1e-4)
    assert table["token"].iloc[20].startswith("the rest (49,132 tokens)")
    assert table["p_model"].iloc[20] == pytest.approx(1 - p[order].sum(), abs=1e-5)


def test_temperature_and_top_k_set_the_kept_mass(at, lm):
    at.slider(key="temperature").set_value(0.7)
    at.number_input(key="top_k").set_value(5).run()
    assert not at.exception and not at.error
    tempered = next_probs(lm, PROMPT, 0.7)
    top5 = np.sort(tempered)[::-1][:5]
    assert shown(at, "Tokens kept") == 5
    assert shown(at, "Kept mass") == pytest.approx(top5.sum(), abs=FOUR)
    assert shown(at, "Sampled entropy, nats") == pytest.approx(stats.entropy(top5 / top5.sum()), abs=FOUR)
    table = at.dataframe[0].value
    np.testing.assert_allclose(table["p_final"].iloc[:5], top5 / top5.sum(), rtol=1e-4)
    assert not table["kept"].iloc[5:].any()


def test_top_p_sets_the_nucleus(at, lm):
    at.slider(key="top_p").set_value(0.9).run()
    assert not at.exception and not at.error
    p = next_probs(lm, PROMPT)
    size = nucleus_size(p, 0.9)
    assert shown(at, "Tokens kept") == size
    assert shown(at, "Kept mass") == pytest.approx(np.sort(p)[::-1][:size].sum(), abs=FOUR)


def test_a_new_prompt_changes_every_tab(at, lm):
    at.text_input(key="prompt").set_value("Once upon a time").run()
    assert not at.exception and not at.error
    p = next_probs(lm, "Once upon a time")
    assert shown(at, "Entropy at T = 1, nats") == pytest.approx(stats.entropy(p), abs=FOUR)
    q = next_probs(lm, str(PARAMS["prompt_b"].default))
    assert shown(at, "KL(π_old‖π_new), nats") == pytest.approx(stats.entropy(p, q), abs=FOUR)


@pytest.mark.parametrize(
    ("text", "words"),
    [("   ", "“Prompt” is empty"), ("🙂" * 200, "“Prompt” is")],
    ids=["empty", "too-long"],
)
def test_a_bad_prompt_is_named_and_the_sentence_tab_still_works(at, text, words):
    at.text_input(key="prompt").set_value(text).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and all("“Prompt”" in e for e in errors) and words in errors[0]
    if text.strip():
        assert "at most 256 tokens" in errors[0]
    assert metric(at, "Uniform model perplexity") == "49,152"


def test_generate_draws_tokens_from_the_shown_distribution(at, lm):
    at.slider(key="temperature").set_value(0.8)
    at.number_input(key="top_k").set_value(40).run()
    assert any("Press **Generate**" in i.value for i in at.info)  # until a button is pressed
    at.slider(key="steps").set_value(6)
    at.number_input(key="seed").set_value(3)
    at.button[1].click().run()  # Generate
    assert not at.exception and not at.error
    steps = next(d.value for d in at.dataframe if "p_drawn" in d.value.columns)
    assert len(steps) == 6
    ids = [int(i) for i in lm.encode(PROMPT)]
    logits = lm.logits(ids + [int(t) for t in steps["token_id"]])[len(ids) - 1 : len(ids) + 5].astype(np.float64)
    for row, z in zip(steps.itertuples(), logits, strict=True):
        tempered = special.softmax(z / 0.8)
        top40 = np.sort(tempered)[::-1][:40]
        assert tempered[row.token_id] >= top40[-1]  # drawn from the kept set
        assert row.p_drawn == pytest.approx(tempered[row.token_id] / top40.sum(), rel=1e-4)
        assert row.p_model == pytest.approx(special.softmax(z)[row.token_id], rel=1e-4)
        assert row.entropy == pytest.approx(stats.entropy(top40 / top40.sum()), abs=1e-4)
    # "Draw a token" adds one: the same seed redraws the same first six tokens.
    at.button[0].click().run()
    seven = next(d.value for d in at.dataframe if "p_drawn" in d.value.columns)
    assert len(seven) == 7 and list(seven["token_id"].iloc[:6]) == list(steps["token_id"])
    # With another seed it starts afresh with one token.
    at.number_input(key="seed").set_value(4)
    at.button[0].click().run()
    assert len(next(d.value for d in at.dataframe if "p_drawn" in d.value.columns)) == 1


def test_scoring_a_sentence(at, lm):
    ids = lm.encode(SENTENCE)
    log_p = special.log_softmax(lm.logits(ids).astype(np.float64), axis=-1)
    nll = -log_p[np.arange(len(ids) - 1), ids[1:]]
    assert shown(at, "Mean NLL, nats per token") == pytest.approx(nll.mean(), abs=FOUR)
    assert shown(at, "Perplexity") == pytest.approx(math.exp(nll.mean()), abs=0.5e-2 + 1e-9)
    assert shown(at, "Uniform model NLL, nats") == pytest.approx(math.log(49_152), abs=FOUR)
    at.radio(key="unit").set_value("bits").run()
    assert shown(at, "Mean NLL, bits per token") == pytest.approx(nll.mean() / math.log(2), abs=FOUR)
    assert shown(at, "Perplexity") == pytest.approx(math.exp(nll.mean()), abs=0.5e-2 + 1e-9)
    table = next(d.value for d in at.dataframe if "surprisal" in d.value.columns)
    np.testing.assert_allclose(table["surprisal"].iloc[1:], nll / math.log(2), rtol=1e-4)
    assert math.isnan(table["surprisal"].iloc[0])


def test_a_new_sentence_and_its_errors(at, lm):
    at.text_input(key="sentence").set_value("Paris is the capital of France.").run()
    assert not at.exception and not at.error
    ids = lm.encode("Paris is the capital of France.")
    log_p = special.log_softmax(lm.logits(ids).astype(np.float64), axis=-1)
    expected = -log_p[np.arange(len(ids) - 1), ids[1:]].mean()
    assert shown(at, "Mean NLL, nats per token") == pytest.approx(expected, abs=FOUR)
    at.text_input(key="sentence").set_value("").run()
    assert [e.value for e in at.error] == ["“Sentence to score” is empty: type some text for the model to read"]
    at.text_input(key="sentence").set_value("Hello").run()
    assert len(at.error) == 1 and "“Sentence to score” has one token" in at.error[0].value


def test_two_prompts_kl_both_ways_and_the_estimators(at, lm):
    p = next_probs(lm, PROMPT)
    q = next_probs(lm, str(PARAMS["prompt_b"].default))
    assert shown(at, "KL(π_old‖π_new), nats") == pytest.approx(stats.entropy(p, q), abs=FOUR)
    assert shown(at, "KL(π_new‖π_old), nats") == pytest.approx(stats.entropy(q, p), abs=FOUR)
    table = None
    for frame in at.dataframe:
        if "ratio" in frame.value.columns:
            table = frame.value
    assert table is not None and len(table) == 20
    # Score the continuation afresh with full forward passes of both prompts.
    drawn = [int(t) for t in table["token_id"]]
    old_ids, new_ids = list(lm.encode(PROMPT)), list(lm.encode(str(PARAMS["prompt_b"].default)))
    lp_old = special.log_softmax(lm.logits(old_ids + drawn[:-1])[len(old_ids) - 1 :].astype(np.float64), axis=-1)
    lp_new = special.log_softmax(lm.logits(new_ids + drawn[:-1])[len(new_ids) - 1 :].astype(np.float64), axis=-1)
    rows = np.arange(20)
    log_r = lp_new[rows, drawn] - lp_old[rows, drawn]
    np.testing.assert_allclose(table["ratio"], np.exp(log_r), rtol=1e-3)
    exact = np.mean([stats.entropy(np.exp(a), np.exp(b)) for a, b in zip(lp_old, lp_new, strict=True)])
    assert shown(at, "Exact KL per token, nats") == pytest.approx(exact, abs=2e-4)
    assert shown(at, "k1 estimate, nats") == pytest.approx(np.mean(-log_r), abs=2e-4)
    assert shown(at, "k3 estimate, nats") == pytest.approx(np.mean(np.expm1(log_r) - log_r), abs=2e-4)
    outside = np.mean(np.abs(np.exp(log_r) - 1) > 0.2)
    assert metric(at, "Ratios outside 1 ± ε") == f"{outside:.0%}"


def test_two_temperatures(at, lm):
    at.radio(key="compare").set_value("two temperatures").run()
    at.slider(key="temperature_b").set_value(2.0).run()
    assert not at.exception and not at.error
    p, q = next_probs(lm, PROMPT), next_probs(lm, PROMPT, 2.0)
    assert shown(at, "KL(π_old‖π_new), nats") == pytest.approx(stats.entropy(p, q), abs=FOUR)
    assert shown(at, "KL(π_new‖π_old), nats") == pytest.approx(stats.entropy(q, p), abs=FOUR)


def test_clip_range_moves_the_outside_share(at, lm):
    at.slider(key="clip").set_value(0.5).run()
    assert not at.exception and not at.error
    table = next(d.value for d in at.dataframe if "ratio" in d.value.columns)
    assert metric(at, "Ratios outside 1 ± ε") == f"{np.mean(np.abs(table['ratio'] - 1) > 0.5):.0%}"


def test_an_empty_second_prompt_is_named(at):
    at.text_input(key="prompt_b").set_value("").run()
    assert not at.exception
    assert [e.value for e in at.error] == ["“Second prompt (the new policy)” is empty: type some text for the model to read"]


def test_a_page_opened_from_an_exercise_hides_the_answers(lm):
    at = page_test("language_model.py")
    at.query_params.update({"exercise": "lm.entropy", "student": "s1"})
    at.run()
    assert not at.exception and not at.error
    for label in ("Entropy at T = 1, nats", "Perplexity", "KL(π_old‖π_new), nats", "k3 estimate, nats"):
        assert metric(at, label) == "hidden"
    assert metric(at, "Uniform model perplexity") == "49,152"  # not an answer: always shown


def test_the_continuation_is_redrawn_on_its_button(at, lm):
    def ratios():
        return next(d.value for d in at.dataframe if "ratio" in d.value.columns)

    first = ratios()
    at.slider(key="kl_tokens").set_value(5).run()
    assert not at.exception and not at.error
    assert ratios()["token_id"].tolist() == first["token_id"].tolist()  # still the shown 20 tokens
    assert any("Press **Draw the continuation** for 5 with seed 0" in i.value for i in at.info)
    at.button(key="draw-continuation").click().run()
    assert not at.exception and not at.error
    five = ratios()
    assert five["token_id"].tolist() == first["token_id"].tolist()[:5]  # one uniform per step: a prefix
    assert not any("Draw the continuation" in i.value for i in at.info)


def token_player(at) -> dict:
    """The frames of the generate tab's token player (the page's one "tokens" animation)."""
    (args,) = [a for a in (json.loads(el.proto.json_args) for el in at.get("component_instance"))
               if a["kind"] == "tokens"]
    return args["frames"]


def test_the_token_player_shows_each_draw_and_its_distribution(at, lm):
    assert at.get("component_instance") == []  # no player before a generation
    at.slider(key="temperature").set_value(0.8)
    at.slider(key="top_p").set_value(0.9)
    at.number_input(key="seed").set_value(2)
    at.slider(key="steps").set_value(5)
    at.button[1].click().run()  # Generate
    assert not at.exception and not at.error
    frames = token_player(at)
    steps = next(d.value for d in at.dataframe if "p_drawn" in d.value.columns)
    assert frames["tokens"] == list(steps["token"]) and len(frames["labels"]) == 6  # frame k: k tokens
    assert frames["prompt"] == PROMPT
    # One uniform per step from default_rng(seed), turned into a token by the inverse CDF of
    # softmax(z / T) cut to Hugging Face's nucleus (cumulative sums in token-id order).
    us = np.random.default_rng(2).random(5)
    np.testing.assert_allclose(frames["u"], us, atol=1e-6)
    ids = [int(i) for i in lm.encode(PROMPT)]
    drawn = [int(t) for t in steps["token_id"]]
    logits = lm.logits(ids + drawn)[len(ids) - 1 : len(ids) + 4].astype(np.float64)
    log_p_model = []
    for k, (z, u) in enumerate(zip(logits, us, strict=True)):
        tempered = special.softmax(z / 0.8)
        order = np.argsort(tempered)  # ascending, as Hugging Face's TopPLogitsWarper
        cut = np.cumsum(tempered[order]) <= 1 - 0.9
        cut[-1] = False
        final = tempered.copy()
        final[order[cut]] = 0.0
        final /= final.sum()
        assert drawn[k] == int(np.searchsorted(np.cumsum(final), u, side="right"))
        top = np.argsort(-z, kind="stable")[:10]
        names = [lm.token_text(int(i)).translate(VISIBLE) for i in top]
        assert frames["shown"][k][:10] == names
        np.testing.assert_allclose(frames["p_final"][k][:10], final[top], atol=6e-5)
        np.testing.assert_allclose(frames["p_model"][k][:10], special.softmax(z)[top], atol=6e-5)
        assert frames["kept"][k][:10] == [bool(final[i] > 0) for i in top]
        assert frames["n_kept"][k] == int((final > 0).sum())
        assert frames["shown"][k][frames["drawn"][k]] == frames["tokens"][k]
        assert frames["entropy"][k] == pytest.approx(stats.entropy(final), abs=1e-3)
        log_p_model.append(special.log_softmax(z)[drawn[k]])
    np.testing.assert_allclose(frames["perplexity"], np.exp(-np.cumsum(log_p_model) / np.arange(1, 6)), rtol=1e-3)
    # Bits rescale the entropies; the draws and their cached forward passes stay.
    at.radio(key="unit").set_value("bits").run()
    in_bits = token_player(at)
    assert in_bits["tokens"] == frames["tokens"] and in_bits["unit"] == "bits"
    np.testing.assert_allclose(in_bits["entropy"], np.array(frames["entropy"]) / math.log(2), atol=1e-3)
    at.number_input(key="bars").set_value(4).run()  # four bars a step, and the draw when outside them
    four = token_player(at)
    assert four["tokens"] == frames["tokens"]
    for k in range(5):
        assert four["shown"][k][:4] == frames["shown"][k][:4] and len(four["shown"][k]) in (4, 5)
        assert four["shown"][k][four["drawn"][k]] == frames["tokens"][k]
    at.button[0].click().run()  # Draw a token: one more frame, the first five unchanged
    six = token_player(at)
    assert len(six["tokens"]) == 6 and six["tokens"][:5] == frames["tokens"]


def test_a_link_sets_the_player_bars(lm):
    at = page_test("language_model.py")
    at.query_params.update({"bars": "3", "steps": "2"})
    at.run()
    at.button[1].click().run()  # Generate
    assert not at.exception and not at.error
    assert at.number_input(key="bars").value == 3
    assert all(len(shown) in (3, 4) for shown in token_player(at)["shown"])


def test_a_page_opened_from_an_exercise_hides_the_token_player(lm):
    at = page_test("language_model.py")
    at.query_params.update({"exercise": "lm.top_k_entropy", "student": "s1", "steps": "2"})
    at.run()
    at.button[1].click().run()  # Generate
    assert not at.exception and not at.error
    assert at.get("component_instance") == []
    assert any("player is hidden until you submit" in c.value for c in at.caption)
    # Step 1 is drawn from the exercise's filtered distribution: only the T = 1 numbers show.
    (table,) = [t for t in at.dataframe if "step" in t.value.columns]  # the Generate tab's
    assert list(table.value.columns) == ["step", "token", "token_id", "p_model"]
    assert not at.get("arrow_vega_lite_chart") or all(
        "entropy" not in str(c.proto.spec) and "p_drawn" not in str(c.proto.spec) for c in at.get("arrow_vega_lite_chart"))


def generated_tokens(at) -> list[int]:
    return [int(t) for t in next(d.value for d in at.dataframe if "p_drawn" in d.value.columns)["token_id"]]


def test_a_link_draws_the_shown_generation_again(at, lm):
    at.slider(key="temperature").set_value(0.8)
    at.number_input(key="top_k").set_value(40)
    at.slider(key="steps").set_value(4)
    at.number_input(key="seed").set_value(3)
    at.button[1].click().run()  # Generate
    assert dict(at.query_params)["generated"] in ("4", ["4"])
    at.button[0].click().run()  # Draw a token: the URL follows the shown generation
    assert dict(at.query_params)["generated"] in ("5", ["5"])
    tokens = generated_tokens(at)
    # The widgets' own keys reach the URL in the browser (bind="query-params"; see the e2e
    # test), not in AppTest, so the rest of the link is written out here.
    link = {"temperature": "0.8", "top_k": "40", "steps": "4", "seed": "3", "generated": "5"}

    opened = page_test("language_model.py")
    opened.query_params.update(link)
    opened.run()  # no button pressed
    assert not opened.exception and not opened.error
    assert generated_tokens(opened) == tokens
    assert opened.number_input(key="seed").value == 3 and len(tokens) == 5
    # Once the settings move away from the generation's, the URL stops claiming it.
    opened.number_input(key="seed").set_value(4).run()
    assert "generated" not in opened.query_params
    assert any("for an earlier prompt" in c.value or "Drawn with" in c.value for c in opened.caption)


def test_a_bad_generated_value_is_named_and_nothing_is_drawn(lm):
    at = page_test("language_model.py")
    at.query_params.update({"generated": "lots"})
    at.run()
    assert not at.exception
    assert any("“Tokens generated” was ignored" in w.value for w in at.warning)
    assert any("Press **Generate**" in i.value for i in at.info)
