"""`python -m benchmarks`: our code against reference libraries, measured side by side.

Each module ``benchmarks/bench_*.py`` defines ``rows() -> Iterable[Row]``; the runner
collects them in one process and prints one markdown table. A row whose reference
library is not installed says so in its note instead of a ratio.
"""
