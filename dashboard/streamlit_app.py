"""ProbStats Lab dashboard: the entry point of ``streamlit run dashboard/streamlit_app.py``.

The pages and their sections come from :data:`dashboard.common.pages.PAGES`; this file only
turns that registry into ``st.navigation`` and runs the chosen page.
"""

from __future__ import annotations

import streamlit as st

from dashboard.common.pages import pages_by_section

st.set_page_config(page_title="ProbStats Lab", page_icon=":material/functions:", layout="wide")

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
        for section, specs in pages_by_section().items()
    }
)
navigation.run()
