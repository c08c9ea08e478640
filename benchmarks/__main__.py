"""Run every benchmark module and print one markdown table.

Usage: ``python -m benchmarks [NAME ...]`` where NAME filters modules (``information``
runs ``bench_information``). ``PROBSTATS_ADAPTATION_SEEDS=N`` runs the NUTS adaptation
rows (``adaptation``) over N seeds instead of 3.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import traceback

import benchmarks
from benchmarks.timing import Row


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "s":
        if value < 1e-3:
            return f"{value * 1e6:.1f} µs"
        if value < 1:
            return f"{value * 1e3:.2f} ms"
        return f"{value:.2f} s"
    return f"{value:,.1f} {unit}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", help="only run modules whose name contains one of these")
    args = parser.parse_args(argv)
    modules = sorted(
        m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_")
    )
    if args.names:
        modules = [m for m in modules if any(n in m for n in args.names)]
    print("| case | ours | reference | ratio (ours/ref) | note |")
    print("|---|---|---|---|---|")
    failed = False
    for name in modules:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            for row in module.rows():
                _print_row(row)
        except Exception:  # one broken module must not hide the others' rows
            failed = True
            print(f"| {name} | failed | | | see stderr |")
            traceback.print_exc(file=sys.stderr)
    return 1 if failed else 0


def _print_row(row: Row) -> None:
    ratio = "n/a" if row.ratio is None else f"{row.ratio:.2f}×"
    ref = f"{_format(row.reference, row.unit)} ({row.reference_name})"
    print(f"| {row.case} | {_format(row.ours, row.unit)} | {ref} | {ratio} | {row.note} |", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
