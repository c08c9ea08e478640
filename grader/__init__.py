"""ProbStats grader: exercises as pluggy plugins, personal variants, grading, a gradebook.

The public API (used by exercise plugins, the CLI and the dashboard)::

    from grader import hookimpl, Exercise, Misconception, DashboardLink, Number, Record
    registry = load_exercises()                       # loaded once, lazily
    exercise = registry.get("interview.perplexity_from_nll")
    variant = variant_for("s123", exercise)           # seed and params
    feedback = grade_answer(exercise, "exp(3)", student_id="s123")
    book = Gradebook()                                # PROBSTATS_DB or ./gradebook.db

See ``docs/plugins.md`` for the instructor's guide.
"""

from grader.answers import (
    AnswerError,
    AnswerKind,
    Choice,
    Evaluation,
    MultipleChoice,
    Number,
    PartResult,
    Record,
    RecordValue,
    Vector,
    parse_number,
)
from grader.checks import CheckReport, CheckResult, check_exercise, run_checks
from grader.code_answers import ANY, NONFINITE, Check, Checks, Code, checks_from
from grader.exercise import DashboardLink, Exercise, InvalidExercise, Misconception, Params
from grader.expressions import ExpressionError, evaluate
from grader.gradebook import ExerciseStats, Gradebook, ScoreRow
from grader.grading import ExerciseFailure, grade_answer
from grader.hookspecs import hookimpl
from grader.ids import check_student_id
from grader.pages import LinkError, PageContract
from grader.plugins import (
    PluginInfo,
    Registry,
    UnknownExercise,
    build_registry,
    get_plugin_manager,
    load_exercises,
)
from grader.records import Feedback, GradedSubmission, LoadError, Submission, SubmissionError
from grader.sheet import render_sheet, render_template
from grader.submissions import (
    SubmissionFileError,
    grade_submission,
    parse_submission,
    read_submission,
)
from grader.variants import Variant, course_secret, variant_for, variant_seed

__all__ = [
    "ANY",
    "NONFINITE",
    "AnswerError",
    "AnswerKind",
    "Check",
    "CheckReport",
    "CheckResult",
    "Checks",
    "Choice",
    "Code",
    "DashboardLink",
    "Evaluation",
    "Exercise",
    "ExerciseFailure",
    "ExerciseStats",
    "ExpressionError",
    "Feedback",
    "Gradebook",
    "GradedSubmission",
    "InvalidExercise",
    "LinkError",
    "LoadError",
    "Misconception",
    "MultipleChoice",
    "Number",
    "PageContract",
    "Params",
    "PartResult",
    "PluginInfo",
    "Record",
    "RecordValue",
    "Registry",
    "ScoreRow",
    "Submission",
    "SubmissionError",
    "SubmissionFileError",
    "UnknownExercise",
    "Variant",
    "Vector",
    "build_registry",
    "check_exercise",
    "check_student_id",
    "checks_from",
    "course_secret",
    "evaluate",
    "get_plugin_manager",
    "grade_answer",
    "grade_submission",
    "hookimpl",
    "load_exercises",
    "parse_number",
    "parse_submission",
    "read_submission",
    "render_sheet",
    "render_template",
    "run_checks",
    "variant_for",
    "variant_seed",
]
