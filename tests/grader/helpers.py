"""Small exercises for the grader's tests (built from the public API only)."""

from __future__ import annotations

from typing import Any

from grader import Exercise, Misconception, Number, hookimpl


def doubling(exercise_id: str = "demo.double", **overrides: Any) -> Exercise:
    """Twice an integer x in [1, 1000); misconception: half of it."""
    fields: dict[str, Any] = {
        "id": exercise_id,
        "title": "Double a number",
        "generate": lambda rng: {"x": int(rng.integers(1, 1000))},
        "prompt": "What is twice {x}?",
        "solve": lambda p: 2 * p["x"],
        "answer": Number(rtol=1e-9),
        "misconceptions": (Misconception("halved", "You halved it instead.", lambda p: p["x"] / 2),),
    }
    fields.update(overrides)
    return Exercise(**fields)


class ExercisesPlugin:
    """A plugin object whose ``register_exercises`` registers the given exercises."""

    def __init__(self, *exercises: Any) -> None:
        self.exercises = exercises

    @hookimpl
    def register_exercises(self, register: Any) -> None:
        for exercise in self.exercises:
            register(exercise)


class PagesPlugin:
    """A plugin object whose ``register_pages`` registers the given page contracts."""

    def __init__(self, *contracts: Any) -> None:
        self.contracts = contracts

    @hookimpl
    def register_pages(self, register: Any) -> None:
        for contract in self.contracts:
            register(contract)
