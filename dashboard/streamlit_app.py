"""ProbStats Lab dashboard: the entry point of ``streamlit run dashboard/streamlit_app.py``.

The pages and their sections come from :data:`dashboard.common.pages.PAGES`; this file
turns that registry into ``st.navigation`` and runs the chosen page. Once per server
process it also starts importing every page's modules in the background, so the page a
learner opens next does not wait for scipy and friends.

In hosted mode (:mod:`dashboard.common.access`) nothing but the login page is drawn
before a login, and a student's navigation has no Instructor page (the page also
refuses students itself).
"""

from __future__ import annotations

import streamlit as st

from dashboard.common import access
from dashboard.common.pages import pages_by_section, visible_pages
from dashboard.common.warmup import warm_up

# An emoji icon is drawn by the browser: nothing is fetched from a font site, so it works offline.
st.set_page_config(page_title="ProbStats Lab", page_icon="🎲", layout="wide")
st.cache_resource(show_spinner=False)(warm_up)()
hosted, member = access.gate()
# A stranger gets every page, hidden, so the address they opened survives the login;
# a student's navigation has no Instructor page.
shown = pages_by_section(visible_pages(None if member is None else member.is_instructor))

navigation = st.navigation(
    {
        section: [
            st.Page(
                spec.path,  # relative to this file's folder
                title=spec.title,
                icon=spec.icon,
                url_path=spec.url_path,
                default=spec.default,
            )
            for spec in specs
        ]
        for section, specs in shown.items()
    },
    position="hidden" if hosted and member is None else "sidebar",
    # Every page listed: with the Language model section Streamlit would fold the last
    # pages (Exercises, Instructor) behind "View 3 more".
    expanded=True,
)
if hosted and member is None:
    access.login_page()
navigation.run()
