"""A good plugin: one exercise, a new answer kind (an interval) and an observer."""

from dataclasses import dataclass
from typing import Any, ClassVar

from grader import (
    AnswerError,
    AnswerKind,
    Evaluation,
    Exercise,
    Misconception,
    Number,
    PartResult,
    hookimpl,
    parse_number,
)

SEEN = []  # submissions observed by submission_graded


@dataclass(frozen=True)
class Interval(AnswerKind):
    """An interval [low, high]; correct when both ends are within `atol`."""

    kind: ClassVar[str] = "interval"
    atol: float = 0.01

    def parse(self, raw: Any) -> tuple[float, float]:
        if not isinstance(raw, list) or len(raw) != 2:
            raise AnswerError("the answer must be a list [low, high]")
        low, high = parse_number(raw[0], "low"), parse_number(raw[1], "high")
        if low > high:
            raise AnswerError("low must not exceed high")
        return (low, high)

    def evaluate(self, value: Any, expected: Any) -> Evaluation:
        ok = all(abs(v - e) <= self.atol for v, e in zip(value, expected, strict=True))
        part = PartResult("answer", "correct" if ok else "wrong", float(ok), "correct" if ok else "incorrect")
        return Evaluation(float(ok), (part,))

    def to_raw(self, value: Any) -> list[float]:
        return [float(value[0]), float(value[1])]

    def describe(self) -> str:
        return "an interval [low, high]"


@hookimpl
def register_answer_types(register):
    register(Interval)


@hookimpl
def register_exercises(register):
    register(
        Exercise(
            id="corpus.double",
            title="Double a number",
            generate=lambda rng: {"x": int(rng.integers(1, 100))},
            prompt="What is twice {x}?",
            solve=lambda p: 2 * p["x"],
            answer=Number(rtol=1e-9),
            misconceptions=(Misconception("halved", "You halved it.", lambda p: p["x"] / 2),),
        )
    )
    register(
        Exercise(
            id="corpus.interval",
            title="An interval around x",
            generate=lambda rng: {"x": int(rng.integers(1, 100))},
            prompt="Give [x - 1, x + 1] for x = {x}.",
            solve=lambda p: (p["x"] - 1, p["x"] + 1),
            answer=Interval(),
        )
    )


@hookimpl
def submission_graded(submission):
    SEEN.append(submission)
