"""Diagnostics against the installed ArviZ (the reference implementation of Vehtari et al.
2021) to 1e-8: the live dev comparison, skipped without ArviZ. The same comparison on
frozen ArviZ values, needing no ArviZ, is tests/core/test_frozen_references.py."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from core.mcmc import diagnostics as dg
from tests.reference_inputs import diagnostic_chain_sets

with warnings.catch_warnings():
    warnings.simplefilter("ignore", FutureWarning)  # arviz announces its 1.0 refactor
    az = pytest.importorskip("arviz")

RTOL = 1e-8


CASES = diagnostic_chain_sets()
IDS = [name for name, _ in CASES]


@pytest.mark.parametrize(("name", "chains"), CASES, ids=IDS)
class TestAgainstArviz:
    def test_rhat(self, name: str, chains: np.ndarray) -> None:
        assert dg.rhat(chains) == pytest.approx(float(az.rhat(chains)), rel=RTOL)

    def test_ess_bulk(self, name: str, chains: np.ndarray) -> None:
        assert dg.ess_bulk(chains) == pytest.approx(float(az.ess(chains, method="bulk")), rel=RTOL)

    def test_ess_tail(self, name: str, chains: np.ndarray) -> None:
        assert dg.ess_tail(chains) == pytest.approx(float(az.ess(chains, method="tail")), rel=RTOL)

    def test_ess_mean(self, name: str, chains: np.ndarray) -> None:
        assert dg.ess_mean(chains) == pytest.approx(float(az.ess(chains, method="mean")), rel=RTOL)

    def test_mcse_mean(self, name: str, chains: np.ndarray) -> None:
        assert dg.mcse_mean(chains) == pytest.approx(float(np.ravel(az.mcse(chains, method="mean"))[0]), rel=RTOL)

    def test_ebfmi(self, name: str, chains: np.ndarray) -> None:
        np.testing.assert_allclose(dg.ebfmi(chains), az.bfmi(chains), rtol=RTOL)


@pytest.mark.parametrize(("name", "chains"), [*CASES, ("4x10000", np.random.default_rng(9).normal(size=(4, 10_000)))],
                         ids=[*IDS, "4x10000"])  # fmt: skip
def test_tail_quantiles_are_mquantiles_to_the_bit(name: str, chains: np.ndarray) -> None:
    # ArviZ's tail ESS thresholds at scipy.stats.mstats.mquantiles(alphap=1, betap=1).
    from scipy.stats import mstats

    ref = mstats.mquantiles(chains, [0.05, 0.95], alphap=1, betap=1)
    assert dg._type7_quantiles(chains, (0.05, 0.95)) == ref.tolist()


def test_dataset_route_agrees() -> None:
    # The xarray route (az.convert_to_dataset) gives the same numbers as the ndarray route.
    chains = np.random.default_rng(3).normal(size=(4, 250))
    ds = az.convert_to_dataset(chains)  # one variable named 'x', dims (chain, draw)
    assert dg.rhat(chains) == pytest.approx(float(az.rhat(ds)["x"]), rel=RTOL)
    assert dg.ess_bulk(chains) == pytest.approx(float(az.ess(ds, method="bulk")["x"]), rel=RTOL)


def test_single_chain_ess_matches_arviz() -> None:
    chains = np.random.default_rng(4).normal(size=(1, 300))
    assert dg.ess_bulk(chains) == pytest.approx(float(az.ess(chains, method="bulk")), rel=RTOL)
    assert dg.ess_tail(chains) == pytest.approx(float(az.ess(chains, method="tail")), rel=RTOL)


def test_ess_is_capped_at_s_log10_s() -> None:
    # Strictly alternating draws: τ̂ would be < 0; the cap keeps ESS at S·log10(S) (ArviZ).
    chains = np.tile((-1.0) ** np.arange(100), (2, 1)) + np.linspace(0, 1e-3, 200).reshape(2, 100)
    s = chains.size
    assert dg.ess_mean(chains) == pytest.approx(s * np.log10(s), rel=RTOL)
    assert dg.ess_mean(chains) == pytest.approx(float(az.ess(chains, method="mean")), rel=RTOL)


def test_constant_quantity_ess_is_the_draw_count() -> None:
    # ArviZ returns S for a constant quantity (every draw equally informative).
    assert dg.ess_bulk(np.ones((2, 10))) == 20.0 == float(az.ess(np.ones((2, 10)), method="bulk"))


class TestAutocorrelation:
    def test_matches_direct_sum(self) -> None:
        # Direct O(n²) definition γ̂(t) = (1/n) Σ (x_i − x̄)(x_{i+t} − x̄), written here.
        x = np.random.default_rng(5).normal(size=57)
        c = x - x.mean()
        direct = np.array([np.sum(c[: len(x) - t] * c[t:]) / len(x) for t in range(len(x))])
        np.testing.assert_allclose(dg.autocovariance(x), direct, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(dg.autocorrelation(x), direct / direct[0], rtol=1e-10, atol=1e-12)

    def test_matches_arviz_along_axis(self) -> None:
        from arviz.stats.stats_utils import autocorr

        x = np.random.default_rng(6).normal(size=(3, 80))
        np.testing.assert_allclose(dg.autocorrelation(x, axis=1), autocorr(x, axis=1), rtol=1e-10, atol=1e-12)

    def test_ar1_lag_one_is_phi(self) -> None:
        # AR(1) with φ = 0.5 has ρ(1) = φ; SE of ρ̂(1) ≈ √((1 − φ²)/n) = 0.0027 at n = 1e5.
        rng = np.random.default_rng(7)
        e = rng.normal(size=100_000)
        x = np.empty_like(e)
        x[0] = e[0]
        for t in range(1, e.size):
            x[t] = 0.5 * x[t - 1] + e[t]
        assert dg.autocorrelation(x)[1] == pytest.approx(0.5, abs=4 * 0.0028)

    def test_constant_raises(self) -> None:
        with pytest.raises(ValueError, match="`x` must not be constant"):
            dg.autocorrelation(np.ones(10))

    def test_too_short_raises(self) -> None:
        with pytest.raises(ValueError, match="`x` must hold at least 2 draws"):
            dg.autocovariance([1.0])


class TestBadInput:
    def test_rhat_one_chain(self) -> None:
        with pytest.raises(ValueError, match="`chains` must have at least 2 chains; got 1"):
            dg.rhat(np.random.default_rng(0).normal(size=(1, 100)))

    @pytest.mark.parametrize("fn", [dg.rhat, dg.ess_bulk, dg.ess_tail, dg.ess_mean, dg.mcse_mean])
    def test_too_few_draws(self, fn) -> None:
        with pytest.raises(ValueError, match="`chains` must have at least 4 draws per chain; got 3"):
            fn(np.zeros((2, 3)))

    @pytest.mark.parametrize("fn", [dg.rhat, dg.ess_bulk, dg.ess_tail])
    def test_wrong_ndim(self, fn) -> None:
        with pytest.raises(ValueError, match=r"`chains` must be 2-D, shaped \(n_chains, n_draws\)"):
            fn(np.zeros(10))

    @pytest.mark.parametrize("fn", [dg.rhat, dg.ess_bulk, dg.ess_tail])
    def test_nan(self, fn) -> None:
        x = np.zeros((2, 10))
        x[1, 3] = np.nan
        with pytest.raises(ValueError, match=r"`chains` must be finite; found nan at index \(1, 3\)"):
            fn(x)

    def test_non_numeric(self) -> None:
        with pytest.raises(TypeError, match="`chains` must be numeric"):
            dg.ess_bulk("abc")

    def test_rhat_constant(self) -> None:
        with pytest.raises(ValueError, match="`chains` must not be constant"):
            dg.rhat(np.ones((2, 10)))

    def test_ebfmi_constant_energy(self) -> None:
        with pytest.raises(ValueError, match="`energy` must vary within every chain"):
            dg.ebfmi(np.ones((2, 10)))
