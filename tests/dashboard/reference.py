"""Independent reference values for the dashboard tests (not computed with core)."""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, stats


def gaussian_kl(mu1: float, s1: float, mu2: float, s2: float) -> float:
    """KL(N(mu1, s1²) ‖ N(mu2, s2²)) = log(s2/s1) + (s1² + (mu1 − mu2)²)/(2 s2²) − ½.

    The closed form for two univariate normals (e.g. Bishop, PRML, exercise 1.30).
    """
    return math.log(s2 / s1) + (s1**2 + (mu1 - mu2) ** 2) / (2 * s2**2) - 0.5


def gaussian_js(mu1: float, s1: float, mu2: float, s2: float) -> float:
    """JS(P, Q) = h(M) − (h(P) + h(Q))/2 with M = (P + Q)/2, in nats.

    A different route from core's: the normals' differential entropies are the closed
    form ½ log(2πeσ²), and only the mixture's entropy is integrated (scipy quad).
    """
    p, q = stats.norm(mu1, s1), stats.norm(mu2, s2)

    def m_log_m(x: float) -> float:
        m = 0.5 * (p.pdf(x) + q.pdf(x))
        return float(m * np.log(m)) if m > 0 else 0.0

    lo = min(mu1 - 15 * s1, mu2 - 15 * s2)
    hi = max(mu1 + 15 * s1, mu2 + 15 * s2)
    h_m = -integrate.quad(m_log_m, lo, hi, points=sorted({mu1, mu2}), limit=400)[0]
    h_p = 0.5 * math.log(2 * math.pi * math.e * s1**2)
    h_q = 0.5 * math.log(2 * math.pi * math.e * s2**2)
    return h_m - 0.5 * (h_p + h_q)
