"""The language model's numbers behind the ``lm`` exercises, stored once (not a plugin: ``_``).

Grading never runs the model: the exercises read ``lm_numbers.json`` next to this module,
written from :func:`core.lm.language_model` by ``python -m exercises._lm_numbers --write``
for the fixed prompt lists below (a test checks the file against the live model). What the
sheet prints, and every expected answer, is computed from these stored numbers rounded
as printed, so the answers are exact for the student and do not move with BLAS rounding.

The file holds, for each next-token prompt, the top tokens by logit with their logit and
full-vocabulary log-probability; for each prompt pair, the first prompt's top tokens with
their log-probabilities under both prompts; for each scored text, every token's
log-probability given the text before it (the first token of a sentence has none: the
model adds no BOS token).
"""

from __future__ import annotations

import argparse
import functools
import json
from pathlib import Path
from typing import Any

__all__ = [
    "DATA_PATH",
    "NEXT_TOKEN_PROMPTS",
    "PAIRS",
    "POLICY_PAIRS",
    "SENTENCES",
    "TOP",
    "build",
    "numbers",
]

DATA_PATH = Path(__file__).with_name("lm_numbers.json")

#: Tokens kept per prompt (the exercises print at most this many).
TOP = 10

#: Prompts whose next-token distribution the exercises print.
NEXT_TOKEN_PROMPTS = (
    "The capital of France is",
    "The cat sat on the",
    "Once upon a time, there was a",
    "The opposite of hot is",
    "She opened the door and saw a",
    "The sun rises in the",
    "I like to drink my coffee with",
    "The best way to learn is to",
    "In the morning I like to",
    "The dog barked at the",
    "A coin has two",
    "The weather today is",
    "He picked up his guitar and played a",
    "My favourite colour is",
    "The first month of the year is",
    "Machine learning is a branch of",
    "The largest planet in the solar system is",
    "To be or not to",
    "The children ran into the",
    "After dinner we went for a",
    "The book was written by a famous",
    "Every morning the baker makes fresh",
    "The train to London leaves at",
    "The scientist looked through the",
)

#: (prompt P, prompt Q): the KL exercise compares their next-token distributions on P's top tokens.
PAIRS = (
    ("The cat sat on the", "The dog sat on the"),
    ("The capital of France is", "The capital of Italy is"),
    ("I like to drink my coffee with", "I like to drink my tea with"),
    ("The sun rises in the", "The sun sets in the"),
    ("The weather today is", "The weather yesterday was"),
    ("She opened the door and saw a", "He opened the box and saw a"),
    ("The children ran into the", "The children walked into the"),
    ("After dinner we went for a", "After lunch we went for a"),
    ("The best way to learn is to", "The worst way to learn is to"),
    ("In the morning I like to", "In the evening I like to"),
    ("My favourite colour is", "My favourite animal is"),
    ("The dog barked at the", "The cat hissed at the"),
    ("Every morning the baker makes fresh", "Every morning the cook makes fresh"),
    ("The scientist looked through the", "The child looked through the"),
    ("The book was written by a famous", "The song was written by a famous"),
    ("Once upon a time, there was a", "Long ago, there was a"),
)

#: (old prefix, new prefix, continuation): the PPO exercise scores the continuation after
#: each prefix; the old policy is the model after the first, the new one after the second.
POLICY_PAIRS = (
    ("Q: Name a fruit.\nA:", "Q: Name a red fruit.\nA:", " An apple is a fruit."),
    ("Q: Name an animal.\nA:", "Q: Name a pet.\nA:", " A dog is a good pet."),
    ("Describe the weather.", "Describe the weather in winter.", " It is cold and snowy today."),
    ("Write a greeting.", "Write a polite greeting.", " Good morning, how are you?"),
    ("Tell me about the sea.", "Tell me about the sea at night.", " The sea is dark and calm."),
    ("Finish the sentence:", "Finish the sentence about cats:", " The cat is sleeping on the sofa."),
    ("Say something about music.", "Say something happy about music.", " Music makes me feel good."),
    ("Give a fact about space.", "Give a fact about the Moon.", " The Moon orbits the Earth."),
    ("Write about a city.", "Write about Paris.", " Paris is a beautiful city."),
    ("Describe a meal.", "Describe a breakfast.", " I ate eggs and toast."),
    ("Tell a short story.", "Tell a short story about a dragon.", " Once there was a small dragon."),
    ("Say what you did today.", "Say what you did at school today.", " I read a book in class."),
)

#: Short sentences whose per-token probabilities the perplexity exercise prints.
SENTENCES = (
    "The cat sat on the mat.",
    "I like to read books in the evening.",
    "The sun is shining and the birds are singing.",
    "She drank a cup of hot tea.",
    "Paris is the capital of France.",
    "The dog chased the ball across the park.",
    "We went to the beach last summer.",
    "He plays the piano every day.",
    "The train was late again this morning.",
    "My brother lives in a small town.",
    "Water boils at one hundred degrees.",
    "The children are playing in the garden.",
    "It rained all day on Sunday.",
    "The teacher wrote on the blackboard.",
    "A bird built a nest in the tree.",
    "They ate pizza for dinner.",
    "The moon is bright tonight.",
    "I forgot my umbrella at home.",
    "The library opens at nine o'clock.",
    "She wore a red dress to the party.",
    "The coffee is too hot to drink.",
    "He fixed the old bicycle.",
    "Please close the window.",
    "The river flows into the sea.",
    "Cats like to sleep in the sun.",
    "The baby is sleeping quietly.",
    "We planted tomatoes in the spring.",
    "The museum was full of old paintings.",
    "A strong wind blew through the trees.",
    "The soup needs more salt.",
    "My phone battery is almost empty.",
    "The store closes at eight.",
    "He runs five miles every morning.",
    "The mountains were covered in snow.",
    "She sent a letter to her friend.",
    "The computer is very slow today.",
    "Green apples taste sour.",
    "The bus stops near my house.",
    "I have two cats and a dog.",
    "The bread is fresh from the oven.",
    "The car would not start this morning.",
    "Birds fly south in the winter.",
    "The lake froze during the night.",
    "He laughed at the funny joke.",
    "The flowers smell sweet.",
    "We watched a movie last night.",
    "The ice cream melted in the sun.",
    "Our team won the game.",
)


@functools.cache
def numbers() -> dict[str, Any]:
    """The stored numbers (read once): ``{"next_token": {prompt: [...]}, "pairs": ...}``."""
    data: dict[str, Any] = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    return data


def _row(lm: Any, token_id: int, **values: float) -> dict[str, Any]:
    return {"id": int(token_id), "text": lm.token_text(int(token_id)), **{k: round(float(v), 6) for k, v in values.items()}}


def build() -> dict[str, Any]:
    """Compute every stored number with the live model (a few seconds)."""
    import numpy as np
    from scipy.special import log_softmax

    from core.lm import language_model

    lm = language_model()

    def distribution(prompt: str) -> tuple[np.ndarray, np.ndarray]:
        logits = lm.next_logits(lm.encode(prompt)).astype(np.float64)
        return logits, log_softmax(logits)

    next_token = {}
    for prompt in NEXT_TOKEN_PROMPTS:
        logits, logp = distribution(prompt)
        top = np.argsort(-logits, kind="stable")[:TOP]
        next_token[prompt] = [_row(lm, i, logit=logits[i], logprob=logp[i]) for i in top]
    pairs = []
    for a, b in PAIRS:
        logits_a, logp_a = distribution(a)
        _, logp_b = distribution(b)
        top = np.argsort(-logits_a, kind="stable")[:TOP]
        pairs.append({"p": a, "q": b, "tokens": [_row(lm, i, logprob_p=logp_a[i], logprob_q=logp_b[i]) for i in top]})
    return {
        "model": lm.name,
        "made_by": "python -m exercises._lm_numbers --write",
        "next_token": next_token,
        "pairs": pairs,
        "policies": [
            {"old": old, "new": new, "text": text, "tokens": _continuation(lm, text, old=old, new=new)}
            for old, new, text in POLICY_PAIRS
        ],
        "sentences": {text: _continuation(lm, text) for text in SENTENCES},
    }


def _continuation(lm: Any, text: str, **prefixes: str) -> list[dict[str, Any]]:
    """Each token of ``text`` with its log-probability after each named prefix
    (``logprob_old`` ...), or, with no prefix, given the sentence before it (``logprob``;
    the first token has none)."""
    import numpy as np
    from scipy.special import log_softmax

    ids = lm.encode(text)
    if not prefixes:
        logp = log_softmax(lm.logits(ids).astype(np.float64)[:-1], axis=-1)
        return [_row(lm, t, logprob=logp[i, t]) for i, t in enumerate(ids[1:])]
    columns = {}
    for name, prefix in prefixes.items():
        head = lm.encode(prefix)
        if lm.encode(prefix + text).tolist() != [*head.tolist(), *ids.tolist()]:
            raise ValueError(f"{prefix!r} + {text!r} does not tokenize as the two parts")
        rows = lm.logits(np.concatenate([head, ids])).astype(np.float64)[len(head) - 1 : -1]
        columns[f"logprob_{name}"] = log_softmax(rows, axis=-1)[np.arange(len(ids)), ids]
    return [_row(lm, t, **{k: v[i] for k, v in columns.items()}) for i, t in enumerate(ids)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exercises._lm_numbers", description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite {DATA_PATH.name} from the live model")
    args = parser.parse_args(argv)
    data = build()
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    if args.write:
        DATA_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {DATA_PATH}")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
