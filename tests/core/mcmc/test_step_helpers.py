"""One-step helpers for teaching: leapfrog_step and mh_acceptance_probability, against closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats

from core.mcmc.hmc import leapfrog_step
from core.mcmc.metropolis import mh_acceptance_probability


class TestLeapfrogStep:
    @pytest.mark.parametrize("eps", [0.1, 0.5, 1.3])
    def test_standard_normal_is_the_closed_form_linear_map(self, eps: float) -> None:
        # For ∇log π(q) = −q, one leapfrog step is the matrix
        # [[1 − ε²/2, ε], [−ε(1 − ε²/4), 1 − ε²/2]] acting on (q, p): substitute −q into
        # the three updates p½ = p − (ε/2)q, q₁ = q + εp½, p₁ = p½ − (ε/2)q₁ by hand.
        q0, p0 = np.array([0.7, -1.2]), np.array([0.3, 0.9])
        q1, p1 = leapfrog_step(q0, p0, lambda q: -q, step_size=eps)
        assert q1 == pytest.approx((1 - eps**2 / 2) * q0 + eps * p0)
        assert p1 == pytest.approx(-eps * (1 - eps**2 / 4) * q0 + (1 - eps**2 / 2) * p0)

    def test_reversible(self) -> None:
        # Negate the momentum, step again, negate: back where we started.
        grad = lambda q: -(q - 1.0) / 4.0  # noqa: E731  (N(1, 2²))
        q1, p1 = leapfrog_step([2.5], [0.4], grad, step_size=0.3)
        q2, p2 = leapfrog_step(q1, -p1, grad, step_size=0.3)
        assert q2 == pytest.approx([2.5])
        assert -p2 == pytest.approx([0.4])

    def test_energy_error_is_second_order(self) -> None:
        # H = q²/2 + p²/2; one step's error shrinks ~ε³ locally: halving ε cuts it ≥ 4×.
        def error(eps: float) -> float:
            q1, p1 = leapfrog_step(1.0, 0.5, lambda q: -q, step_size=eps)
            return abs(float(q1**2 + p1**2) / 2 - (1.0 + 0.25) / 2)

        assert error(0.05) < error(0.1) / 4

    def test_inverse_metric_scales_the_position_step(self) -> None:
        q1, _ = leapfrog_step([1.0, 1.0], [1.0, 1.0], lambda q: np.zeros(2), step_size=0.5, inv_metric=[1.0, 4.0])
        assert q1 == pytest.approx([1.5, 3.0])

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError, match="`step_size` must be > 0"):
            leapfrog_step(0.0, 0.0, lambda q: -q, step_size=0.0)
        with pytest.raises(ValueError, match="`p` must have the shape of `q`"):
            leapfrog_step([0.0, 1.0], [0.0], lambda q: -q, step_size=0.1)
        with pytest.raises(ValueError, match="`inv_metric` must be > 0"):
            leapfrog_step([0.0], [0.0], lambda q: -q, step_size=0.1, inv_metric=[-1.0])
        with pytest.raises(ValueError, match="`inv_metric` must have the shape"):
            leapfrog_step([0.0], [0.0], lambda q: -q, step_size=0.1, inv_metric=[1.0, 1.0])
        with pytest.raises(ValueError, match="`grad_logp` must return the shape"):
            leapfrog_step([0.0], [0.0], lambda q: np.zeros(3), step_size=0.1)
        with pytest.raises(ValueError, match=r"`grad_logp\(q\)` must be finite"):
            leapfrog_step([0.0], [0.0], lambda q: np.array([np.nan]), step_size=0.1)
        with pytest.raises(ValueError, match="`q` must be finite"):
            leapfrog_step([np.inf], [0.0], lambda q: -q, step_size=0.1)


class TestMHAcceptance:
    def test_symmetric_is_the_density_ratio(self) -> None:
        # π = N(0, 1), x = 0.5 → x′ = 1.5: ratio φ(1.5)/φ(0.5) = e^{−1}.
        target = scipy.stats.norm()
        alpha = mh_acceptance_probability(target.logpdf(0.5), target.logpdf(1.5))
        assert alpha == pytest.approx(target.pdf(1.5) / target.pdf(0.5))
        assert alpha == pytest.approx(math.exp(-1.0))

    def test_uphill_is_one(self) -> None:
        assert mh_acceptance_probability(-3.0, -1.0) == 1.0

    def test_hastings_correction_for_a_lognormal_walk(self) -> None:
        # Gamma(3, 1) target, log x′ ~ N(log x, 0.5²): the correction q(x|x′)/q(x′|x) = x′/x.
        x, y, s = 2.0, 3.5, 0.5
        target = scipy.stats.gamma(3)
        forward = scipy.stats.lognorm(s, scale=x).logpdf(y)
        backward = scipy.stats.lognorm(s, scale=y).logpdf(x)
        alpha = mh_acceptance_probability(
            target.logpdf(x), target.logpdf(y), log_q_forward=forward, log_q_backward=backward
        )
        assert alpha == pytest.approx(min(1.0, target.pdf(y) * y / (target.pdf(x) * x)))

    def test_outside_support_is_never_accepted(self) -> None:
        assert mh_acceptance_probability(-1.0, -np.inf) == 0.0

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError, match="`log_target_current` must be finite"):
            mh_acceptance_probability(-np.inf, 0.0)
        with pytest.raises(ValueError, match="`log_target_proposed` must be finite or -inf"):
            mh_acceptance_probability(0.0, np.nan)
        with pytest.raises(ValueError, match="`log_target_proposed` must be finite or -inf"):
            mh_acceptance_probability(0.0, np.inf)
        with pytest.raises(ValueError, match="`log_target_proposed` must be a single number"):
            mh_acceptance_probability(0.0, [0.0, 1.0])
        with pytest.raises(ValueError, match="`log_q_forward` must be finite"):
            mh_acceptance_probability(0.0, 0.0, log_q_forward=np.nan)
        with pytest.raises(ValueError, match="`log_q_backward` must be a single number"):
            mh_acceptance_probability(0.0, 0.0, log_q_backward=[1.0, 2.0])
