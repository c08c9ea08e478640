"""The adaptation benchmark's seed count and its paired difference (numpy as reference)."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import bench_mcmc_adaptation as bench
from benchmarks.bench_mcmc import SEED


def test_three_seeds_unless_asked_for_more(monkeypatch):
    monkeypatch.delenv(bench.SEEDS_VARIABLE, raising=False)
    assert bench.seeds() == (SEED, SEED + 1, SEED + 2)
    monkeypatch.setenv(bench.SEEDS_VARIABLE, "40")
    assert bench.seeds() == tuple(range(SEED, SEED + 40))


@pytest.mark.parametrize("bad", ["1", "0", "-3", "forty", "4.5", ""])
def test_a_bad_seed_count_is_named(monkeypatch, bad):
    monkeypatch.setenv(bench.SEEDS_VARIABLE, bad)
    with pytest.raises(ValueError, match="PROBSTATS_ADAPTATION_SEEDS must be a whole number of seeds"):
        bench.seeds()


def test_the_paired_difference_is_the_mean_and_se_of_the_per_seed_differences():
    ours, ref = [10.0, 12.0, 17.0], [9.0, 13.0, 11.0]
    diff = np.subtract(ours, ref)  # 1, −1, 6
    text = bench._paired([{"per_kgrad": v} for v in ours], [{"per_kgrad": v} for v in ref])
    assert text == f"paired difference {diff.mean():+.1f} ± {diff.std(ddof=1) / np.sqrt(3):.1f} (SE)"
    assert text == "paired difference +2.0 ± 2.1 (SE)"
