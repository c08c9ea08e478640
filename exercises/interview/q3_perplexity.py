"""Q3: perplexity from an average NLL (nats or bits), and the uniform model's baseline."""

from __future__ import annotations

import numpy as np

from core.information import entropy, perplexity
from exercises.interview._common import ENTROPY_PAGE, base_of, other_base
from grader import Number, Params, Record
from grader.authoring import collect, exercise, integers, mistake

_NLL = {"nll": integers(150, 501, over=100)}  # 1.50 to 5.00, two decimals

PERPLEXITY_FROM_NLL = exercise(
    id="interview.perplexity_from_nll",
    title="Perplexity from an average NLL (Q3)",
    params=_NLL,
    prompt="""A language model's average negative log-likelihood on a test set is **[[ nll | fmt('.2f') ]] nats** per token.

What is its perplexity? (It is the number of equally likely next tokens the model is, on average, as unsure as.)""",
    solve=lambda v: perplexity(v.nll),
    answer=Number(rtol=1e-3, sig_figs=3),
    misconceptions=[
        mistake("bits_for_nats", "You computed 2^NLL, as if the NLL were in bits. It is in nats, so the perplexity is e^NLL.", lambda v: perplexity(v.nll, base=2)),
        mistake("base_10", "You computed 10^NLL. For an NLL in nats the perplexity is e^NLL.", lambda v: perplexity(v.nll, base=10)),
        mistake("probability_not_perplexity", "You computed e^(−NLL), the geometric-mean probability of a token; the perplexity is its reciprocal, e^NLL.", lambda v: 1.0 / perplexity(v.nll)),
    ],
    page="entropy",
    page_title=ENTROPY_PAGE,
    link=lambda v: {"nll": v.nll, "nll_unit": "nats"},
)

PERPLEXITY_FROM_NLL_BITS = exercise(
    id="interview.perplexity_from_nll_bits",
    title="Perplexity from an average NLL in bits (Q3)",
    params=_NLL,
    prompt="""A language model's average negative log-likelihood on a test set is **[[ nll | fmt('.2f') ]] bits** per token (logarithms base 2).

What is its perplexity?""",
    solve=lambda v: perplexity(v.nll, base=2),
    answer=Number(rtol=1e-3, sig_figs=3),
    misconceptions=[
        mistake("nats_for_bits", "You computed e^NLL, as if the NLL were in nats. It is in bits, so the perplexity is 2^NLL (the same number as e^(NLL·ln 2)).", lambda v: perplexity(v.nll)),
        mistake("base_10", "You computed 10^NLL. For an NLL in bits the perplexity is 2^NLL.", lambda v: perplexity(v.nll, base=10)),
        mistake("probability_not_perplexity", "You computed 2^(−NLL), the geometric-mean probability of a token; the perplexity is its reciprocal, 2^NLL.", lambda v: 1.0 / perplexity(v.nll, base=2)),
    ],
    page="entropy",
    page_title=ENTROPY_PAGE,
    link=lambda v: {"nll": v.nll, "nll_unit": "bits"},
)

#: Real vocabulary sizes, so some students meet the course's GPT-2 number.
VOCABULARIES = {"GPT-2": 50_257, "BERT (base, uncased)": 30_522, "LLaMA 2": 32_000, "Llama 3": 128_256}


def _vocabulary(rng: np.random.Generator) -> Params:
    unit = "nats" if rng.random() < 0.5 else "bits"
    if rng.random() < 0.25:
        name = str(rng.choice(list(VOCABULARIES)))
        return {"vocab": VOCABULARIES[name], "model": name, "unit": unit}
    return {"vocab": int(rng.integers(1_000, 100_000)), "model": "", "unit": unit}


def _uniform_nll(vocab: int, base: float | None) -> float:
    return entropy(np.full(vocab, 1.0 / vocab), base=base)


UNIFORM_PERPLEXITY = exercise(
    id="interview.uniform_perplexity",
    title="The random baseline: perplexity of a uniform model (Q3)",
    generate=_vocabulary,
    # Each is an entropy of up to 10^5 entries: computed once per variant.
    derive=lambda v: {"nll": _uniform_nll(v.vocab, base_of(v.unit)), "nll_other": _uniform_nll(v.vocab, other_base(v.unit)), "nll_nats": _uniform_nll(v.vocab, None)},
    prompt="""A vocabulary has **V = [[ vocab | fmt(',') ]]** tokens[% if model %] (the size of [[ model ]]'s vocabulary)[% endif %]. A "random" model gives every token the same probability 1/V.

Give its average NLL per token **in [[ unit ]]** (`nll`) and its perplexity (`perplexity`): the baseline every trained model must beat.""",
    solve=lambda v: {"nll": v.nll, "perplexity": perplexity(v.nll, base=base_of(v.unit))},
    answer=Record({"nll": Number(rtol=1e-4), "perplexity": Number(rtol=1e-3)}),
    misconceptions=[
        mistake("wrong_unit", "Your NLL is in the other unit: ln V is in nats, log₂ V in bits (log₂ V = ln V / ln 2).", lambda v: {"nll": v.nll_other}),
        mistake("nll_for_perplexity", "Your perplexity is the NLL itself; the perplexity exponentiates it (e^NLL in nats, 2^NLL in bits), which for the uniform model gives back V.", lambda v: {"perplexity": v.nll}),
        mistake("probability_for_perplexity", "Your perplexity is 1/V, the probability of one token; the perplexity is its reciprocal, V.", lambda v: {"perplexity": 1.0 / perplexity(v.nll_nats)}),
    ],
    page="entropy",
    page_title=ENTROPY_PAGE,
    link=lambda v: {"vocab": v.vocab},
)

register_exercises = collect(__name__)
