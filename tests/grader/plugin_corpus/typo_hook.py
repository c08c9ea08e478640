"""Implements a hook that does not exist (a typo): check_pending reports it."""

from grader import hookimpl


@hookimpl
def register_exercise(register):
    pass
