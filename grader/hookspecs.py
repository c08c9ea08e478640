"""The hooks a ProbStats plugin can implement (pluggy project name ``probstats``).

A plugin is a module (or object) with functions decorated by ``grader.hookimpl`` whose
names are hooks below. Every hook is documented in ``docs/plugins.md`` with an example;
``tests/grader/test_docs.py`` checks that each hook here is documented and tested.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from grader.answers import AnswerKind
    from grader.exercise import Exercise
    from grader.pages import PageContract
    from grader.records import GradedSubmission

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

#: The pluggy project name shared by the markers and the plugin manager.
PROJECT_NAME = "probstats"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def register_exercises(register: Callable[[Exercise], None]) -> None:
    """Register exercises by calling ``register(exercise)`` once per exercise.

    Called once, when the exercises are first loaded, after ``register_answer_types``
    and ``register_pages``. Each exercise is checked (id ``topic.name``, fields, one run
    of its code on a fixed variant, its dashboard link checked by its page's contract
    when page contracts are registered); an invalid one or a duplicate id is reported
    with the plugin's name and skipped, the rest still load.

    :param register: call with a :class:`grader.Exercise`.
    """


@hookspec
def register_answer_types(register: Callable[[type[AnswerKind]], None]) -> None:
    """Register new answer kinds by calling ``register(cls)`` with an AnswerKind subclass.

    Called once, before ``register_exercises``, so that exercises from any plugin can
    use the new kind. The class's ``kind`` attribute is its unique name.

    :param register: call with a subclass of :class:`grader.AnswerKind`.
    """


@hookspec
def register_pages(register: Callable[[PageContract], None]) -> None:
    """Register dashboard page contracts by calling ``register(contract)`` once per page.

    Called once, after ``register_answer_types`` and before ``register_exercises``, so
    that every exercise's dashboard link is checked when it registers: a link to a page
    no contract describes, or one whose values the page's contract refuses (an unknown
    key, a value out of bounds), is reported as a load error naming the exercise, and
    the exercise is skipped. When no plugin registers a page, links are not checked.

    A contract is refused (reported with the plugin's name) when it lacks a member or
    its ``url_path`` is already registered by another plugin.

    :param register: call with a :class:`grader.PageContract`: an object with
        ``url_path`` (the page's URL segment, e.g. ``"beta-binomial"``), ``title`` and
        ``link(values) -> str``, which returns ``"url_path?key=value&..."`` and raises
        ValueError for an unknown key or a value out of bounds, naming the key.
    """


@hookspec
def submission_graded(submission: GradedSubmission) -> None:
    """Observe a submission after it was graded (and stored, if a gradebook was given).

    Called once per submission (a file or a web form), after its transaction committed.
    Use it to export results elsewhere. The return value is ignored; an exception is
    reported with the plugin's name and does not undo the grading.

    :param submission: the :class:`grader.GradedSubmission` (student, per-exercise
        feedback, per-part errors, source, attempt id).
    """
