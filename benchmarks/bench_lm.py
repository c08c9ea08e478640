"""Language-model rows: core.lm's numpy SmolLM2-135M against transformers + torch on the
same GGUF file (transformers dequantises it to float32 torch weights).

Load time and resident memory are measured once in a fresh interpreter per library (so
neither sees the other's allocations or warm caches); the per-call rows run both
models in this process, interleaved, with torch given as many threads as OpenBLAS
(``OPENBLAS_NUM_THREADS``). Rows give the best time and, in the note, the median: on a
shared machine the best is the cost, the median what a user waits. Goals (issue 13): load <= 10 s, the next-token
distribution of a 32-token prompt <= 200 ms, <= 60 ms per generated token with the
cache, <= 1 GB resident.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np

from benchmarks.timing import Row, best_time, side_by_side_samples
from core.information import cross_entropy_from_logits
from core.sampling import sampling_probs

PROMPT = (
    "Perplexity is the exponential of the average negative log-likelihood per token, "
    "so a model that is uniformly unsure between k tokens has a perplexity of exactly k."
)
N_PROMPT = 32

# Run in a fresh interpreter: load once, one forward pass, report time and memory (and,
# for ours, the per-call cases timed without torch in the process).
_PROBE = r"""
import json, sys, time
which = sys.argv[1]
t0 = time.perf_counter()
if which == "ours":
    import core.lm
    t1 = time.perf_counter()
    lm = core.lm.language_model()
    t2 = time.perf_counter()
    ids = lm.encode(sys.argv[2])[:32]
    lm.next_logits(ids)
    # the per-call cases again, with no torch threads in the process (the dashboard's case)
    prefill, step = [], []
    session = lm.session(ids)
    for _ in range(7):
        s = time.perf_counter(); lm.next_logits(ids); prefill.append(time.perf_counter() - s)
        s = time.perf_counter()
        for _ in range(4):
            session.truncate(32); session.append([int(ids[-1])])
        step.append((time.perf_counter() - s) / 4)
else:
    import os, torch
    from transformers import AutoModelForCausalLM
    torch.set_num_threads(int(os.environ.get("OPENBLAS_NUM_THREADS") or os.cpu_count()))
    from core.lm.weights import gguf_path
    path = gguf_path()
    t1 = time.perf_counter()
    model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, dtype=torch.float32)
    model.eval()
    t2 = time.perf_counter()
    with torch.no_grad():
        model(torch.arange(32)[None, :] + 1000)
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
kb = lambda key: int(status[key].split()[0])
out = {"imports": t1 - t0, "load": t2 - t1, "rss": kb("VmRSS") / 1024, "peak": kb("VmHWM") / 1024}
if which == "ours":
    out.update(prefill=prefill, step=step)
print(json.dumps(out))
"""


def _probe(which: str) -> dict[str, Any] | None:
    env = {**os.environ, "TQDM_DISABLE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, which, PROMPT], capture_output=True, text=True, env=env, timeout=900
    )
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def rows() -> Iterator[Row]:
    try:
        from core.lm import ModelNotInstalledError, language_model

        lm = language_model()
    except ModelNotInstalledError as err:
        for case in ("load", "32-token prompt", "per token", "resident memory"):
            yield Row(f"SmolLM2-135M {case}", None, None, "transformers", note=str(err).split(".")[0])
        return
    ids = lm.encode(PROMPT)[:N_PROMPT]
    assert len(ids) == N_PROMPT
    try:
        import torch
        import transformers
    except ImportError:
        hf = None
    else:
        hf = _hf_model()

    ours, theirs = _probe("ours"), _probe("theirs") if hf is not None else None
    if hf is not None:
        torch.set_num_threads(_blas_threads())  # the same number of threads on both sides
    ref_name = "transformers + torch" if hf is None else f"transformers {transformers.__version__} + torch {torch.__version__}"
    yield _probe_row("SmolLM2-135M load (GGUF file to ready model)", ours, theirs, "load", "s", ref_name,
                     "fresh process, imports excluded")
    yield _probe_row("SmolLM2-135M resident memory after load + one pass", ours, theirs, "rss", "MB", ref_name,
                     "VmRSS; peak (VmHWM) ours {p0:.0f} MB, theirs {p1:.0f} MB")

    threads = f"{_blas_threads()} thread(s) each"
    ours_fn = lambda: sampling_probs(lm.next_logits(ids))  # noqa: E731
    if hf is None:
        yield Row("SmolLM2-135M next-token distribution, 32-token prompt", best_time(ours_fn), None, ref_name,
                  note="transformers not installed")
        return

    t_ids = torch.as_tensor(ids[None, :])

    def theirs_fn() -> Any:
        with torch.no_grad():
            return hf(t_ids, logits_to_keep=1).logits[0, -1].softmax(-1)

    a, b = ours_fn(), theirs_fn().numpy()
    close = float(np.abs(a - b).max())
    o, t = side_by_side_samples(ours_fn, theirs_fn, repeat=7)
    yield _timed_row("SmolLM2-135M next-token distribution, 32-token prompt", o, t, ref_name,
                     f"{threads}; max |Δp| {close:.1e}")

    o, t = side_by_side_samples(*_step_fns(lm, hf, ids), repeat=7, number=4)
    yield _timed_row("SmolLM2-135M one generated token with the KV cache (33rd position)", o, t, ref_name, threads)

    if ours is not None:
        for case, key in (("next-token distribution, 32-token prompt", "prefill"), ("one generated token with the KV cache", "step")):
            times = ours[key]
            yield Row(f"SmolLM2-135M {case}, ours alone (no torch in the process)", min(times), None, "-",
                      note=f"best of {len(times)}; median {statistics.median(times) * 1e3:.0f} ms; {threads}; fresh process")

    nll = lambda: cross_entropy_from_logits(lm.logits(ids)[:-1], ids[1:])  # noqa: E731
    o = best_time(nll, repeat=3)
    yield Row("SmolLM2-135M mean NLL of a 32-token text (all rows' logits)", o, None, "-", note="ours only")


def _hf_model() -> Any:
    import torch
    from transformers import AutoModelForCausalLM

    from core.lm.weights import gguf_path

    path = gguf_path()
    return AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, dtype=torch.float32).eval()


def _step_fns(lm: Any, hf: Any, ids: np.ndarray) -> tuple[Any, Any]:
    """One cached decoding step each, always at position 32 (the cache is cut back to the
    prompt before each step, so every timed call does the same work)."""
    import torch

    session = lm.session(ids)
    token = int(session.next_logits.argmax())

    def ours() -> Any:
        session.truncate(N_PROMPT)
        return session.append([token])

    with torch.no_grad():
        past = hf(torch.as_tensor(ids[None, :]), use_cache=True).past_key_values
    t_token = torch.tensor([[token]])

    def theirs() -> Any:
        past.crop(N_PROMPT - past.get_seq_length())  # a negative count: drop the last step
        with torch.no_grad():
            return hf(t_token, past_key_values=past, use_cache=True, logits_to_keep=1).logits

    return ours, theirs


def _probe_row(case: str, ours: dict[str, Any] | None, theirs: dict[str, Any] | None, key: str,
               unit: str, ref_name: str, note: str) -> Row:
    o = ours[key] if ours else None
    t = theirs[key] if theirs else None
    if "{p0" in note:
        note = note.format(p0=ours["peak"] if ours else float("nan"), p1=theirs["peak"] if theirs else float("nan"))
    elif ours:
        note += f"; imports ours {ours['imports']:.1f} s" + (f", theirs {theirs['imports']:.1f} s" if theirs else "")
    return Row(case, o, t, ref_name, note=note, unit=unit)


def _timed_row(case: str, ours: list[float], theirs: list[float], ref_name: str, note: str) -> Row:
    """Best of each side as the row's figures, the medians in its note (a shared machine)."""
    medians = f"median ours {statistics.median(ours) * 1e3:.0f} ms, theirs {statistics.median(theirs) * 1e3:.0f} ms"
    return Row(case, min(ours), min(theirs), ref_name, note=f"best of {len(ours)}; {medians}; {note}")


def _blas_threads() -> int:
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var])
    return os.cpu_count() or 1
