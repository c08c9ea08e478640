"""Which exercises a topic page visualises, and the "Practise it" links that end the page."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from grader import Registry, load_exercises

__all__ = ["exercise_links_markdown", "exercises_for_page", "registry", "show_exercise_links"]


def registry() -> Registry:
    """The process-wide exercise registry (loaded once by the grader, like the CLI's)."""
    return load_exercises()


def exercises_for_page(url_path: str) -> list[tuple[str, str]]:
    """``(exercise id, title)`` of every exercise whose dashboard link opens ``url_path``."""
    return sorted(
        (exercise.id, exercise.title)
        for exercise in registry().exercises.values()
        if exercise.dashboard is not None and exercise.dashboard.page == url_path
    )


def exercise_links_markdown(url_path: str) -> str:
    """A markdown list linking each exercise this page visualises to the Exercises page.

    Empty when no exercise points here. Links are relative (``exercises?exercise=…``),
    so they work under any server base path; a student id already in the URL is kept.
    """
    student = st.query_params.get("student", "")
    lines = []
    for exercise_id, title in exercises_for_page(url_path):
        query = {"exercise": exercise_id, **({"student": student} if student else {})}
        lines.append(f"- [{title}](exercises?{urlencode(query)}) (`{exercise_id}`)")
    return "\n".join(lines)


def show_exercise_links(url_path: str) -> None:
    """End a topic page with links to the exercises that this page visualises."""
    links = exercise_links_markdown(url_path)
    if links:
        st.divider()
        st.subheader("Practise it", anchor="practise-it")
        st.markdown("Graded exercises that this page helps with; each gets a personal variant:")
        st.markdown(links)
