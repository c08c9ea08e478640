"""Information-theory rows: ours against scipy and torch on large inputs."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy import special, stats
from scipy.spatial.distance import jensenshannon

from benchmarks.timing import Row, side_by_side
from core import information as info

N = 1_000_000


def rows() -> Iterator[Row]:
    rng = np.random.default_rng(0)
    p = rng.random(N)
    p /= p.sum()
    q = rng.random(N)
    q /= q.sum()

    # scipy.stats.entropy also normalises its input (one extra pass we skip, but we
    # validate instead), so the pair measures the same work done our way and theirs.
    ours, ref = side_by_side(lambda: info.entropy(p), lambda: stats.entropy(p))
    yield Row("entropy, 10^6 outcomes", ours, ref, "scipy.stats.entropy")

    ours, ref = side_by_side(lambda: info.kl_divergence(p, q), lambda: stats.entropy(p, q))
    yield Row("KL(p‖q), 10^6 outcomes", ours, ref, "scipy.stats.entropy(p, q)")

    ours, ref = side_by_side(lambda: info.kl_divergence(p, q), lambda: special.rel_entr(p, q).sum())
    yield Row("KL(p‖q), 10^6 outcomes", ours, ref, "scipy.special.rel_entr(p, q).sum()",
              note="reference does no validation")

    ours, ref = side_by_side(lambda: info.js_divergence(p, q), lambda: jensenshannon(p, q) ** 2)
    yield Row("JS(p, q), 10^6 outcomes", ours, ref, "scipy jensenshannon(p, q)**2")

    yield from _cross_entropy_rows(rng)


def _cross_entropy_rows(rng: np.random.Generator) -> Iterator[Row]:
    logits = rng.normal(scale=2.0, size=(256, 50_257)).astype(np.float32)
    targets = rng.integers(0, 50_257, size=256)
    case = "cross_entropy_from_logits, 256×50,257 float32"

    def scipy_ref() -> float:
        return float(-special.log_softmax(logits, axis=1)[np.arange(256), targets].mean())

    ours, ref = side_by_side(lambda: info.cross_entropy_from_logits(logits, targets), scipy_ref, repeat=5)
    yield Row(case, ours, ref, "scipy.special.log_softmax")
    try:
        import torch
    except ImportError:
        yield Row(case, None, None, "torch F.cross_entropy", note="torch not installed: pip install torch==2.13.0")
        return
    t_logits, t_targets = torch.from_numpy(logits), torch.from_numpy(targets)
    ours, ref = side_by_side(
        lambda: info.cross_entropy_from_logits(logits, targets),
        lambda: torch.nn.functional.cross_entropy(t_logits, t_targets),
        repeat=5,
    )
    yield Row(case, ours, ref, f"torch {torch.__version__} F.cross_entropy",
              note=f"torch uses {torch.get_num_threads()} threads, ours 1")
