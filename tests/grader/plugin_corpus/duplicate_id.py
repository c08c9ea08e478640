"""ExercisesPlugin an id the good plugin already registered, and one new exercise."""

from grader import Exercise, Number, hookimpl


def _exercise(exercise_id):
    return Exercise(
        id=exercise_id,
        title="Triple",
        generate=lambda rng: {"x": int(rng.integers(1, 10))},
        prompt="Three times {x}?",
        solve=lambda p: 3 * p["x"],
        answer=Number(),
    )


@hookimpl
def register_exercises(register):
    register(_exercise("corpus.double"))
    register(_exercise("corpus.triple"))
