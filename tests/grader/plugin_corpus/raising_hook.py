"""Its register_exercises hook raises."""

from grader import hookimpl


@hookimpl
def register_exercises(register):
    raise RuntimeError("boom in the hook")
