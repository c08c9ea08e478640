"""Instructor page: the gradebook, per-exercise statistics, plugins, CSV export, the check."""

from __future__ import annotations

import streamlit as st

from dashboard.common import access, exercise_links
from dashboard.practice import gradebook
from grader import run_checks
from grader.canvas import canvas_csv_text

#: Where the last check report is kept, so it stays on screen while other widgets change.
CHECK_REPORT = "instructor_check_report"

# Checked here on every run, not only by the navigation: a student who types this
# page's URL in a hosted course is refused before any data is read.
access.require_instructor()

st.title("Instructor")
st.markdown(
    "The course at a glance: who has answered what and how well, which exercises trip "
    "students up and on which mistake, and which exercise plugins are loaded. The "
    "gradebook is the same database the `probstats` command writes to (set by "
    "`PROBSTATS_DB`), so file submissions and web submissions appear side by side. "
    "Before handing out a new exercise, run the check below: it tries the exercise on "
    "many synthetic students and reports anything that would grade a student unfairly."
)

registry = exercise_links.registry()
book = gradebook.current_gradebook()

st.header("Gradebook")
st.caption(f"Database: `{gradebook.display_url(book)}`")
if book.submission_count() == 0:
    st.info(
        "Nothing is graded yet. Scores appear here once students submit from the "
        "Exercises page or with `probstats grade`.",
        icon=":material/hourglass_empty:",
    )
else:
    st.subheader("Best points per student")
    st.caption("A row per student, a column per exercise (best points so far); blank: not answered.")
    st.dataframe(gradebook.wide_table(book), hide_index=True)

    st.subheader("Per exercise")
    st.caption(
        "Answers counts every graded submission; the mean score is over all of them, the "
        "mean best score over students (each student's best)."
    )
    st.dataframe(
        gradebook.stats_table(book, registry),
        hide_index=True,
        column_config={
            "mean score": st.column_config.NumberColumn("mean score", format="percent"),
            "mean best score": st.column_config.NumberColumn("mean best score", format="percent"),
            "max points": st.column_config.NumberColumn("max points", format="%g"),
        },
    )

    st.subheader("Misconceptions recognised")
    misconceptions = gradebook.misconception_table(book)
    if misconceptions.empty:
        st.caption("No answer has matched a known misconception yet.")
    else:
        st.caption("Share: the fraction of the exercise's graded answers that made this mistake.")
        st.dataframe(
            misconceptions,
            hide_index=True,
            column_config={"share": st.column_config.NumberColumn("share", format="percent")},
        )

    st.subheader("Export")
    col_wide, col_long, col_canvas = st.columns(3)
    col_wide.download_button(
        "Download CSV: a row per student",
        book.csv_text(),
        file_name="gradebook-wide.csv",
        mime="text/csv",
        icon=":material/download:",
        key="download_wide",
    )
    col_long.download_button(
        "Download CSV: a row per graded answer",
        book.csv_text(long=True),
        file_name="gradebook-long.csv",
        mime="text/csv",
        icon=":material/download:",
        key="download_long",
    )
    col_canvas.download_button(
        "Download CSV for Canvas's gradebook import",
        canvas_csv_text(book),
        file_name="gradebook-canvas.csv",
        mime="text/csv",
        icon=":material/download:",
        key="download_canvas",
        help="Student, ID, SIS User ID (the student id), SIS Login ID, Section, a column per "
        "exercise and a Points Possible row; a blank cell is left alone by the import.",
    )

st.header("Plugins")
st.caption("As `probstats plugins` lists them: built-in modules, installed packages, the plugins folder.")
st.dataframe(gradebook.plugins_table(registry), hide_index=True)
for error in registry.errors:
    st.warning(str(error), icon=":material/extension_off:")
if not registry.errors:
    st.caption(f"All plugins loaded; {len(registry.exercises)} exercises registered.")

st.header("Check the exercises")
st.markdown(
    "Runs `probstats check`: for each of N synthetic students, the exercise must draw the "
    "same numbers twice from the same seed, render its prompt, give a reference answer "
    "that scores full marks, and have every misconception recognised by name without "
    "ever being the right answer."
)
col_n, col_which = st.columns([1, 3])
n_variants = col_n.number_input(
    "Variants per exercise", min_value=1, max_value=1000, value=20, step=1,
    key="check_variants", bind="query-params",
)
chosen = col_which.multiselect(
    "Only these exercises (leave empty to check all)", list(registry.exercises), key="check_exercises"
)
if st.button("Run the check", type="primary", icon=":material/fact_check:"):
    with st.spinner("Checking the exercises..."):
        st.session_state[CHECK_REPORT] = run_checks(
            registry, exercise_ids=chosen or None, n_variants=int(n_variants)
        )

report = st.session_state.get(CHECK_REPORT)
if report is not None:
    summary = f"{report.passed} of {len(report.results)} exercises passed"
    if report.ok:
        st.success(f"{summary}.", icon=":material/check_circle:")
    else:
        problems = "" if not report.load_errors else f"; {len(report.load_errors)} plugin load error(s)"
        st.error(f"{summary}{problems}.", icon=":material/error:")
    st.code(report.to_text(), language=None)
    for error in report.load_errors:
        st.warning(error, icon=":material/extension_off:")
