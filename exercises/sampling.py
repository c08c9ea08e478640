"""Decoding: nucleus (top-p) filtering of a next-token distribution."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core.sampling import temper_probs, top_p_filter
from grader import DashboardLink, Exercise, Misconception, Params, Vector, hookimpl


def _nucleus_params(rng: np.random.Generator) -> Params:
    # Probabilities in hundredths, sorted; p never within 0.005 of a cumulative sum (no
    # ambiguous boundary) and the nucleus leaves out at least the last token.
    while True:
        cents = np.sort(rng.multinomial(90, np.full(5, 0.2)) + 2)[::-1]
        probs = cents / 100
        p = float(rng.choice([0.5, 0.6, 0.7, 0.8, 0.9]))
        cumulative = np.cumsum(cents) / 100
        if np.all(np.abs(cumulative - p) > 0.005) and cumulative[-2] >= p:
            return {"probs": [round(float(x), 2) for x in probs], "p": p}


def _filtered(p: Params) -> np.ndarray:
    return top_p_filter(np.asarray(p["probs"]), p["p"])


TOP_P_FILTER = Exercise(
    id="sampling.top_p_filter",
    title="Nucleus (top-p) filtering",
    generate=_nucleus_params,
    prompt=lambda p: (
        "A model's next-token distribution over five tokens is "
        f"{p['probs']}.\n\nApply top-p (nucleus) filtering with **p = {p['p']}**: keep the "
        "smallest set of most probable tokens whose mass is at least p. Give the "
        "resulting distribution over the five tokens, in the same order, as a list."
    ),
    solve=_filtered,
    answer=Vector(rtol=1e-3, atol=1e-4),
    misconceptions=(
        Misconception(
            "not_renormalised",
            "You zeroed the tokens outside the nucleus but did not renormalise: divide "
            "the kept probabilities by their sum so they add up to 1.",
            lambda p: np.where(_filtered(p) > 0, p["probs"], 0.0),
        ),
    ),
    dashboard=DashboardLink("sampling", lambda p: {"top_p": p["p"]}),
)


def _temperature_params(rng: np.random.Generator) -> Params:
    # Probabilities in hundredths, at least 0.05 apart: tempering visibly changes them
    # (a near-uniform distribution would make T and 1/T give almost the same answer).
    while True:
        cuts = np.sort(rng.choice(np.arange(1, 100), size=3, replace=False))
        cents = np.sort(np.diff(np.concatenate([[0], cuts, [100]])))[::-1]
        if cents[-1] >= 3 and np.all(-np.diff(cents) >= 5):
            temperature = float(rng.choice([0.25, 0.5, 0.75, 1.5, 2.0, 4.0]))
            return {"probs": [round(float(c) / 100, 2) for c in cents], "temperature": temperature}


TEMPERATURE = Exercise(
    id="sampling.temperature",
    title="Sampling temperature",
    generate=_temperature_params,
    prompt=lambda p: (
        f"A model's next-token distribution is {p['probs']}. Apply **temperature "
        f"T = {p['temperature']}** (divide the logits by T and re-apply softmax). Give the "
        "new distribution, in the same order, as a list."
    ),
    solve=lambda p: temper_probs(p["probs"], p["temperature"]),
    answer=Vector(rtol=1e-3, atol=1e-5),
    misconceptions=(
        Misconception(
            "multiplied_by_t",
            "You multiplied the logits by T. Temperature divides them: p_i^(1/T), "
            "renormalised; T < 1 sharpens, T > 1 flattens.",
            lambda p: temper_probs(p["probs"], 1.0 / p["temperature"]),
        ),
    ),
    dashboard=DashboardLink("sampling", lambda p: {"temperature": p["temperature"]}),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    register(TOP_P_FILTER)
    register(TEMPERATURE)
