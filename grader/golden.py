"""Golden variants: what each exercise's ``generate`` drew for a few fixed seeds, per version.

A stored attempt keeps its seed, its parameters and the generator's ``version``. If
``generate`` is edited so that a seed draws something else, the version must go up,
or a regraded past attempt would silently be about another problem. ``probstats
check`` compares each exercise with the committed file of golden variants and warns
when the parameters changed under the same version; ``probstats check
--update-golden`` rewrites the file after a deliberate change (with the bump).

The file is JSON::

    {"seeds": [0, 1, 2],
     "exercises": {"topic.name": {"version": 1, "params": [{...}, {...}, {...}]}}}
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from grader.exercise import Exercise
from grader.variants import params_for_seed

__all__ = ["DEFAULT_GOLDEN_PATH", "GOLDEN_SEEDS", "golden_warnings", "read_golden", "write_golden"]

#: The seeds whose variants are recorded (plain seeds, not derived from a student).
GOLDEN_SEEDS = (0, 1, 2)
#: The committed golden variants of the built-in exercises.
DEFAULT_GOLDEN_PATH = Path(__file__).with_name("golden_variants.json")


def _variants(exercise: Exercise, seeds: Iterable[int]) -> list[Any]:
    # Through JSON, so floats and lists compare exactly as they were stored.
    return [json.loads(json.dumps(params_for_seed(exercise, seed))) for seed in seeds]


def read_golden(path: str | Path) -> dict[str, Any]:
    """The golden variants stored at ``path`` (empty when there is no such file).

    Raises
    ------
    ValueError
        If the file is not golden-variants JSON; the message names the file.
    """
    path = Path(path)
    if not path.exists():
        return {"seeds": list(GOLDEN_SEEDS), "exercises": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{path}: not valid JSON: {exc}") from None
    if not (isinstance(data, dict) and isinstance(data.get("seeds"), list) and isinstance(data.get("exercises"), dict)):
        raise ValueError(f"{path}: expected an object with `seeds` and `exercises`")
    return data


def golden_warnings(exercises: Iterable[Exercise], golden: Mapping[str, Any]) -> list[str]:
    """A warning per exercise whose golden variants do not match its ``generate``.

    Exercises absent from ``golden`` are not compared; one whose ``generate`` fails
    is left to the other checks.
    """
    seeds = [int(s) for s in golden["seeds"]]
    warnings = []
    for exercise in exercises:
        entry = golden["exercises"].get(exercise.id)
        if entry is None:
            continue
        try:
            now = _variants(exercise, seeds)
        except Exception:
            continue  # a failing generator is reported by the exercise's own check, not here
        if entry["version"] != exercise.version:
            warnings.append(
                f"{exercise.id}: the golden variants are of version {entry['version']}, the exercise is "
                f"version {exercise.version}; run `probstats check --update-golden` and commit the file"
            )
            continue
        changed = [seed for seed, old, new in zip(seeds, entry["params"], now, strict=True) if old != new]
        if changed:
            warnings.append(
                f"{exercise.id}: generate draws other parameters for seed(s) {', '.join(map(str, changed))} "
                f"than the golden variants of version {exercise.version}; if the change is meant, bump "
                "the exercise's `version` (stored attempts keep theirs) and run "
                "`probstats check --update-golden`"
            )
    return warnings


def write_golden(path: str | Path, exercises: Iterable[Exercise], *, keep_others: bool = False) -> int:
    """Record the golden variants of ``exercises`` at ``path``; return how many were written.

    With ``keep_others``, the entries of exercises not given are kept (updating a few);
    otherwise the file holds exactly ``exercises``.
    """
    path = Path(path)
    old = read_golden(path) if keep_others else {"exercises": {}}
    entries = dict(old["exercises"]) if keep_others else {}
    chosen = list(exercises)
    for exercise in chosen:
        entries[exercise.id] = {"version": exercise.version, "params": _variants(exercise, GOLDEN_SEEDS)}
    # One line per exercise: a changed generator is a one-line diff.
    rows = [f"  {json.dumps(key)}: {json.dumps(entries[key])}" for key in sorted(entries)]
    text = f'{{"seeds": {json.dumps(list(GOLDEN_SEEDS))}, "exercises": {{\n' + ",\n".join(rows) + "\n}}\n"
    path.write_text(text, encoding="utf-8")
    return len(chosen)
