"""Student code for the code exercises: correct solutions (numpy only) and typical wrong ones.

Written here, independently of core, as a student would. They only ever run in the
sandbox (through the grader); no test imports or executes them in its own process.
"""

from __future__ import annotations

CORRECT = {
    "code.log_softmax": """
import numpy as np

def log_softmax(logits):
    z = np.asarray(logits, dtype=float)
    shifted = z - z.max()
    return shifted - np.log(np.exp(shifted).sum())
""",
    "code.entropy": """
import math
import numpy as np

def entropy(p, base):
    p = np.asarray(p, dtype=float)
    nz = p[p > 0]
    h = -float(np.sum(nz * np.log(nz)))
    return h if base is None else h / math.log(base)
""",
    "code.kl_divergence": """
import numpy as np

def kl_divergence(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    mask = p > 0
    if np.any(q[mask] == 0):
        return float("inf")
    return float(np.sum(p[mask] * np.log(p[mask] / q[mask])))
""",
    "code.top_p_filter": """
import numpy as np

def top_p_filter(probs, p):
    probs = np.asarray(probs, dtype=float)
    # Descending by probability; among ties the later index first (stable sort of the
    # reversed array, mapped back).
    n = len(probs)
    order = (n - 1 - np.argsort(-probs[::-1], kind="stable"))
    keep = np.zeros(n, dtype=bool)
    mass = 0.0
    for i in order:
        if mass >= p:
            break
        keep[i] = True
        mass += probs[i]
    out = np.where(keep, probs, 0.0)
    return out / out.sum()
""",
    "code.beta_binomial_update": """
def update(alpha, beta, flips):
    heads = sum(1 for c in flips if c == "H")
    tails = sum(1 for c in flips if c == "T")
    return alpha + heads, beta + tails
""",
    "code.importance_estimate": """
import numpy as np

def self_normalised_estimate(f_values, log_p, log_q):
    log_w = np.asarray(log_p, dtype=float) - np.asarray(log_q, dtype=float)
    w = np.exp(log_w - log_w.max())
    return float(np.sum(w * np.asarray(f_values)) / np.sum(w))
""",
    "code.leapfrog": """
import numpy as np

def leapfrog(q, p, grad_log_density, step_size, n_steps):
    q = np.array(q, dtype=float)
    p = np.array(p, dtype=float)
    for _ in range(n_steps):
        p = p + 0.5 * step_size * grad_log_density(q)
        q = q + step_size * p
        p = p + 0.5 * step_size * grad_log_density(q)
    return q, p
""",
    "code.metropolis_step": """
import math
import numpy as np

def metropolis_step(x, log_density, proposal_scale, rng):
    proposal = rng.normal(x, proposal_scale)
    u = rng.uniform()
    log_ratio = log_density(proposal) - log_density(x)
    if math.log(u) < min(0.0, log_ratio):
        return proposal, True
    return x, False
""",
}

#: (exercise, code, the misconception it should be recognised as)
WRONG = [
    (
        "code.log_softmax",
        """
import numpy as np

def log_softmax(logits):
    return np.log(np.exp(logits) / np.sum(np.exp(logits)))
""",
        "exp_overflow",
    ),
    (
        "code.log_softmax",
        """
import numpy as np

def log_softmax(logits):
    z = logits - logits.max()
    return np.exp(z) / np.exp(z).sum()
""",
        "softmax_not_log",
    ),
    (
        "code.entropy",
        """
import numpy as np

def entropy(p, base):
    p = p[p > 0]
    return -float(np.sum(p * np.log2(p)))
""",
        "log2_for_nats",
    ),
    (
        "code.entropy",
        """
import numpy as np

def entropy(p, base):
    h = -np.sum(p * np.log(p))
    return h if base is None else h / np.log(base)
""",
        "zero_log_zero",
    ),
    (
        "code.kl_divergence",
        """
import numpy as np

def kl_divergence(p, q):
    mask = q > 0
    if np.any(p[mask] == 0):
        return float("inf")
    return float(np.sum(q[mask] * np.log(q[mask] / p[mask])))
""",
        "kl_swapped",
    ),
    (
        "code.kl_divergence",
        """
import numpy as np

def kl_divergence(p, q):
    return float(np.sum(p * np.log(p / q)))
""",
        "zero_log_zero",
    ),
    (
        "code.kl_divergence",
        """
import numpy as np

def kl_divergence(p, q):
    mask = p > 0
    if np.any(q[mask] == 0):
        return float("inf")
    return float(np.sum(p[mask] * np.log2(p[mask] / q[mask])))
""",
        "bits_for_nats",
    ),
    (
        "code.top_p_filter",
        """
import numpy as np

def top_p_filter(probs, p):
    order = np.argsort(-probs, kind="stable")
    keep = np.zeros(len(probs), dtype=bool)
    mass = 0.0
    for i in order:
        if mass >= p:
            break
        keep[i] = True
        mass += probs[i]
    out = np.where(keep, probs, 0.0)
    return out / out.sum()
""",
        "ties_earlier_kept",
    ),
    (
        "code.top_p_filter",
        """
import numpy as np

def top_p_filter(probs, p):
    n = len(probs)
    order = n - 1 - np.argsort(-probs[::-1], kind="stable")
    keep = np.zeros(n, dtype=bool)
    mass = 0.0
    for i in order:
        if mass >= p:
            break
        keep[i] = True
        mass += probs[i]
    return np.where(keep, probs, 0.0)
""",
        "not_renormalised",
    ),
    (
        "code.beta_binomial_update",
        """
def update(alpha, beta, flips):
    return alpha + flips.count("T"), beta + flips.count("H")
""",
        "heads_tails_swapped",
    ),
    (
        "code.importance_estimate",
        """
import numpy as np

def self_normalised_estimate(f_values, log_p, log_q):
    w = np.exp(log_p - log_q)
    return float(np.sum(w * f_values) / np.sum(w))
""",
        "weight_overflow",
    ),
    (
        "code.importance_estimate",
        """
import numpy as np

def self_normalised_estimate(f_values, log_p, log_q):
    return float(np.mean(np.exp(log_p - log_q) * f_values))
""",
        "plain_estimate",
    ),
    (
        "code.leapfrog",
        """
import numpy as np

def leapfrog(q, p, grad_log_density, step_size, n_steps):
    for _ in range(n_steps):
        p = p - 0.5 * step_size * grad_log_density(q)
        q = q + step_size * p
        p = p - 0.5 * step_size * grad_log_density(q)
    return q, p
""",
        "gradient_sign",
    ),
    (
        "code.leapfrog",
        """
def leapfrog(q, p, grad_log_density, step_size, n_steps):
    for _ in range(n_steps):
        p = p + step_size * grad_log_density(q)
        q = q + step_size * p
    return q, p
""",
        "euler_steps",
    ),
    (
        "code.metropolis_step",
        """
def metropolis_step(x, log_density, proposal_scale, rng):
    proposal = x + proposal_scale * rng.standard_normal(x.shape)
    rng.random()
    return proposal, True
""",
        "always_accepted",
    ),
    (
        "code.metropolis_step",
        """
import numpy as np

def metropolis_step(x, log_density, proposal_scale, rng):
    proposal = x + proposal_scale * rng.standard_normal(x.shape)
    u = rng.random()
    if u < min(1.0, np.exp(log_density(x) - log_density(proposal))):
        return proposal, True
    return x, False
""",
        "ratio_reversed",
    ),
]
