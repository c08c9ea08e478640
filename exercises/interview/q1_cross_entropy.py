"""Q1: cross-entropy = entropy + KL, the reason training with cross-entropy is maximum likelihood."""

from __future__ import annotations

import math

from core.information import cross_entropy, entropy, kl_divergence
from exercises._params import apart, joined, probs
from exercises.interview._common import ENTROPY_PAGE, PROB
from grader import Record
from grader.authoring import Values, collect, counts, exercise, mistake

TOKENS = ("the", "cat", "sat", "mat")


def _solve(v: Values, base: float | None = None) -> dict[str, float]:
    return {"cross_entropy": cross_entropy(v.pp, v.qq, base=base), "entropy": entropy(v.pp, base=base), "kl": kl_divergence(v.pp, v.qq, base=base)}


def _told_apart(v: Values) -> bool:
    # KL both ways, H(p) against H(q), H(p, q) against H(q, p): all at least 5% apart.
    kl_pq, kl_qp = kl_divergence(v.pp, v.qq), kl_divergence(v.qq, v.pp)
    return kl_pq > 0.02 and apart((kl_pq, kl_qp)) and apart((entropy(v.pp), entropy(v.qq))) and apart(
        (cross_entropy(v.pp, v.qq), cross_entropy(v.qq, v.pp))
    )


CROSS_ENTROPY_IS_MLE = exercise(
    id="interview.cross_entropy_mle",
    title="Cross-entropy = entropy + KL, the reason CE training is MLE (Q1)",
    params={"p": counts(4), "q": counts(4)},
    derive=lambda v: {"pp": probs(v.p), "qq": probs(v.q)},
    accept=_told_apart,
    prompt=r"""Over the four tokens `the`, `cat`, `sat`, `mat` the data distribution is $p = [[ p | fractions ]]$ and a model predicts $q = [[ q | fractions ]]$.

Give, **in nats**, the cross-entropy $H(p, q) = -\sum_x p(x) \ln q(x)$ (the expected training loss per token), the entropy $H(p)$ and the divergence $\mathrm{KL}(p \,\|\, q)$. Check that $H(p, q) = H(p) + \mathrm{KL}(p\,\|\,q)$: since $H(p)$ does not depend on the model, minimising the cross-entropy (maximum likelihood) minimises the KL.""",
    solve=_solve,
    answer=Record({"cross_entropy": PROB, "entropy": PROB, "kl": PROB}),
    points=3.0,
    misconceptions=[
        mistake("bits_for_nats", "You used log base 2, which gives bits; the question asks for nats (natural log): divide by ln 2 ≈ 0.693 the other way.", lambda v: _solve(v, base=2.0)),
        mistake("kl_arguments_swapped", "Your KL is KL(q ‖ p). KL is not symmetric: the one that completes the cross-entropy is KL(p ‖ q) = Σ p log(p/q), weighted by the data p.", lambda v: {"kl": kl_divergence(v.qq, v.pp)}),
        mistake("model_entropy", "Your entropy is H(q), the model's. The entropy in H(p, q) = H(p) + KL(p ‖ q) is the data's, H(p), which the model cannot change.", lambda v: {"entropy": entropy(v.qq)}),
        mistake("cross_entropy_swapped", "Your cross-entropy is H(q, p) = −Σ q log p. The training loss averages over the data: H(p, q) = −Σ p log q.", lambda v: {"cross_entropy": cross_entropy(v.qq, v.pp)}),
    ],
    page="entropy",
    page_title=ENTROPY_PAGE,
    # softmax(log counts) = counts / total: the page opens on exactly p and q.
    link=lambda v: {
        "tokens": joined(TOKENS),
        "p_logits": joined(f"{math.log(c):.6f}" for c in v.p),
        "q_logits": joined(f"{math.log(c):.6f}" for c in v.q),
        "temperature": 1.0,
        "unit": "nats",
    },
)

register_exercises = collect(__name__)
