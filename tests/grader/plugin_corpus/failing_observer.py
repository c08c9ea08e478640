"""An observer that raises: reported, and grading is not undone."""

from grader import hookimpl


@hookimpl
def submission_graded(submission):
    raise OSError("export server unreachable")
