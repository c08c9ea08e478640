"""Home page: what ProbStats Lab is, and a map of the course: sections, pages, exercises."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from dashboard.common import access
from dashboard.common.exercise_links import exercises_for_page
from dashboard.common.pages import SECTIONS, pages_by_section, visible_pages

# Hosted: only the pages this member may open are on the map (None locally: all of them).
who = access.member()

st.title("ProbStats Lab")
st.markdown(
    "A hands-on companion to the probability and statistics that sit under large "
    "language models: the training loss is a log-likelihood, the RLHF penalty is a KL "
    "divergence, and every generated token is a draw from a distribution. Each page "
    "takes one idea from the course and lets you move its inputs and watch the numbers "
    "and curves respond. The numbers come from the same tested numeric core the "
    "auto-grader uses to check answers."
)
st.markdown(
    "Every page keeps its inputs in the address bar, so copying the URL shares exactly "
    "the view you are looking at."
)

st.header("Map of the course")
for section, specs in pages_by_section(visible_pages(None if who is None else who.is_instructor)).items():
    if section == "Start":
        continue
    with st.container(border=True):
        st.subheader(section)
        st.caption(SECTIONS[section])
        for spec in specs:
            st.page_link(spec.path, label=spec.title, icon=spec.icon)
            st.markdown(spec.summary)
            exercises = exercises_for_page(spec.url_path)
            if exercises:
                st.caption(
                    f"{len(exercises)} graded exercise{'s' if len(exercises) > 1 else ''}: "
                    + ", ".join(f"[{title}](exercises?{urlencode({'exercise': eid})})" for eid, title in exercises)
                )
