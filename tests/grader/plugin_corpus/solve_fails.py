"""An exercise whose solve fails, and one whose id is invalid."""

from grader import Exercise, Number, hookimpl


@hookimpl
def register_exercises(register):
    register(
        Exercise(
            id="corpus.broken_solve",
            title="Broken",
            generate=lambda rng: {"x": 0},
            prompt="1 / {x}?",
            solve=lambda p: 1 / p["x"],
            answer=Number(),
        )
    )
    register(
        Exercise(
            id="NoTopic",
            title="Bad id",
            generate=lambda rng: {},
            prompt="?",
            solve=lambda p: 1.0,
            answer=Number(),
        )
    )
