"""The docs table of every page's URL keys, generated from the page contracts.

``python -m dashboard.common.page_docs`` rewrites the table in ``docs/plugins.md`` between
the markers :data:`START` and :data:`END`; ``--check`` only says whether it is up to date
(exit status 1 when not), which the test suite checks, so the table cannot drift from
the code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from dashboard.common.page_params import PageParams, Param
from dashboard.common.registry import all_page_params

__all__ = ["DOCS", "END", "START", "main", "markdown_table", "update_docs"]

START = "<!-- page-params:start -->"
END = "<!-- page-params:end -->"
#: The file the table lives in.
DOCS = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"


def _code(value: object) -> str:
    """``value`` as inline code, safe inside a markdown table cell."""
    text = str(value).replace("\n", "\\n").replace("|", "\\|")
    return f"`{text}`"


def _number(value: float | None) -> str:
    if value is None:
        return "…"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _values(param: Param) -> str:
    """What a value may be: bounds, choices (with accepted aliases) or a length limit."""
    if param.kind in ("int", "float"):
        return f"{_number(param.lo)} to {_number(param.hi)}" + (f", step {_number(param.step)}" if param.step else "")
    if param.kind == "choice":
        text = ", ".join(_code(c) for c in param.choices)
        if param.aliases:
            text += "; also " + ", ".join(_code(a) for a in sorted(param.aliases))
        return text
    if param.kind == "text":
        return f"up to {param.max_chars} characters" if param.max_chars else "any text"
    return "`true`, `false`"


def markdown_table(pages: Iterable[PageParams]) -> str:
    """One markdown table: a row per key of every page, with type, values, default and meaning."""
    rows = [
        "| page | key | type | values | default | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for page in pages:
        for param in page.params:
            default = param.to_query(param.default)
            shown = _code(default) if default else "(empty)"
            meaning = param.help.replace("|", "\\|")
            rows.append(
                f"| `{page.url_path}` | `{param.key}` | {param.kind} | {_values(param)} | {shown} | {meaning} |"
            )
    return "\n".join(rows) + "\n"


def update_docs(text: str, table: str) -> str:
    """``text`` with everything between :data:`START` and :data:`END` replaced by ``table``.

    Raises
    ------
    ValueError
        If the markers are missing, repeated or out of order.
    """
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise ValueError(f"the docs need exactly one {START!r} followed by one {END!r}")
    head, rest = text.split(START)
    _, tail = rest.split(END)
    return f"{head}{START}\n{table}{END}{tail}"


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with ``--check``, compare) the table; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.common.page_docs",
        description="Regenerate the table of every dashboard page's URL keys in docs/plugins.md.",
    )
    parser.add_argument("--check", action="store_true", help="only report whether the table is up to date (exit 1 if not)")
    parser.add_argument("--docs", type=Path, default=DOCS, help=f"the markdown file (default: {DOCS})")
    args = parser.parse_args(argv)
    text = args.docs.read_text(encoding="utf-8")
    updated = update_docs(text, markdown_table(all_page_params()))
    if args.check:
        if updated != text:
            print(f"{args.docs}: the page-parameter table is out of date; run python -m dashboard.common.page_docs")
            return 1
        print(f"{args.docs}: the page-parameter table is up to date")
        return 0
    if updated != text:
        args.docs.write_text(updated, encoding="utf-8")
        print(f"{args.docs}: table rewritten")
    else:
        print(f"{args.docs}: table already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
