"""Q7: mutual information of a joint table, conditional entropy, and independence."""

from __future__ import annotations

import numpy as np

from core.information import conditional_entropy, entropy, mutual_information
from exercises._params import apart, probs, table_text
from exercises.interview._common import INDEX, MI_PAGE, PROB
from grader import Number, Params, Record
from grader.authoring import Values, collect, exercise, mistake


def _generate(rng: np.random.Generator) -> Params:
    # A third of the tables are exactly independent (counts = outer product of marginals).
    if rng.random() < 1 / 3:
        rows, cols = rng.integers(1, 5, size=2), rng.integers(1, 5, size=3)
        return {"counts": np.outer(rows, cols).tolist()}
    return {"counts": rng.integers(0, 7, size=(2, 3)).tolist()}


def _solve(v: Values, base: float | None = 2.0) -> dict[str, float]:
    mi = mutual_information(v.joint, base=base)
    return {"h_x": entropy(v.joint.sum(axis=1), base=base), "h_x_given_y": conditional_entropy(v.joint, base=base), "mi": mi, "independent": 1.0 if mi < 1e-12 else 0.0}


def _accept(v: Values) -> bool:
    # No empty row or column; MI exactly 0 or clearly not; the three entropies a
    # misconception confuses apart.
    if v.empty:
        return False
    mi = v.bits["mi"]
    return (mi < 1e-12 or mi > 0.02) and apart((v.bits["h_x_given_y"], v.h_y_given_x, v.h_xy), atol=0.01)


def _nats(v: Values) -> dict[str, float]:
    nats = _solve(v, base=None)
    return {k: nats[k] for k in (("h_x", "h_x_given_y") if nats["independent"] else ("h_x", "h_x_given_y", "mi"))}


def _derive(v: Values) -> dict[str, object]:
    counts = np.asarray(v.counts, dtype=float)
    if counts.sum(axis=1).min() == 0 or counts.sum(axis=0).min() == 0:
        return {"empty": True}  # an empty row or column: refused before any entropy
    joint = probs(counts.ravel()).reshape(2, 3)
    values = Values({"joint": joint})
    bits = _solve(values)
    return {"empty": False, "joint": joint, "bits": bits, "h_y_given_x": conditional_entropy(joint.T, base=2), "h_xy": bits["h_x_given_y"] + entropy(joint.sum(axis=0), base=2)}


MUTUAL_INFORMATION = exercise(
    id="interview.mutual_information",
    title="Mutual information of a joint table, and independence (Q7)",
    generate=_generate,
    derive=_derive,
    accept=_accept,
    prompt=r"""The joint distribution of X ∈ {0, 1} and Y ∈ {0, 1, 2}:

|  | Y = 0 | Y = 1 | Y = 2 |
|---|---|---|---|
[% for row in counts %]
| X = [[ loop.index0 ]] | [% for c in row %][[ c ]]/[[ sum(counts | map("sum")) ]][[ " | " if not loop.last ]][% endfor %] |
[% endfor %]

Give, **in bits**, the entropy $H(X)$ (`h_x`), the conditional entropy $H(X \mid Y)$ (`h_x_given_y`) and the mutual information $I(X;Y) = H(X) - H(X\mid Y)$ (`mi`). Are X and Y independent? Answer `independent = 1` for yes, `0` for no.""",
    solve=lambda v: v.bits,
    answer=Record({"h_x": PROB, "h_x_given_y": PROB, "mi": Number(rtol=1e-3, atol=1e-4), "independent": INDEX}),
    points=3.0,
    misconceptions=[
        mistake("nats_for_bits", "You used the natural log, which gives nats; the question asks for bits (log base 2).", _nats),
        mistake("conditioned_the_wrong_way", "Your H(X|Y) is H(Y|X). H(X|Y) = H(X, Y) − H(Y) is what is left of X's uncertainty once Y is known.", lambda v: {"h_x_given_y": v.h_y_given_x}),
        mistake("joint_for_conditional", "Your H(X|Y) is the joint entropy H(X, Y); the conditional entropy subtracts H(Y): H(X|Y) = H(X, Y) − H(Y).", lambda v: {"h_x_given_y": v.h_xy}),
    ],
    page="mutual-information",
    page_title=MI_PAGE,
    link=lambda v: {"source": "Type a table", "joint": table_text(v.joint), "unit": "bits"},
)

register_exercises = collect(__name__)
