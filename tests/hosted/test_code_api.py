"""The eight code exercises through the API (local mode: the API's own sandbox pool).

Needs bubblewrap (fails under CI=true without it). The gradebook is SQLite here; the
queued path on PostgreSQL is tests/grader/sandbox/test_code_queue.py.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from grader import Gradebook, build_registry
from grader.api import create_app
from grader.cli import main
from tests.exercises.code_solutions import CORRECT, WRONG
from tests.hosted.course import SECRET, code_toml, enrol
from tests.hosted.server import serving
from tests.sandbox import need_sandbox

REGISTRY = build_registry()
JSON = {"Content-Type": "application/json"}
TOML = {"Content-Type": "application/toml"}
ENDLESS = "def entropy(p, base):\n    while True:\n        pass\n"


@pytest.fixture(scope="module", autouse=True)
def sandbox() -> None:
    need_sandbox()


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    book = Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}")
    tokens = enrol(book)
    with TestClient(create_app(book, REGISTRY, secret=SECRET)) as test_client:
        yield test_client, tokens
    book.close()


def _post(client: TestClient, token: str, body: str, headers: dict[str, str]) -> Any:
    return client.post("/api/v1/submissions", content=body.encode(),
                       headers={"Authorization": f"Bearer {token}", **headers})


def test_correct_numpy_solutions_of_the_eight_get_full_marks_as_json(client) -> None:
    test_client, tokens = client
    body = json.dumps({"answers": {k: {"code": v} for k, v in CORRECT.items()}})
    response = _post(test_client, tokens["s1"], body, JSON)
    assert response.status_code == 201, response.text
    result = response.json()
    assert sorted(f["exercise_id"] for f in result["feedback"]) == sorted(CORRECT)
    assert result["errors"] == []
    assert all(f["score"] == 1.0 for f in result["feedback"]), [f["message"] for f in result["feedback"]]
    assert result["points"] == result["max_points"] > 0
    stored = test_client.get("/api/v1/submissions", headers={"Authorization": f"Bearer {tokens['s1']}"}).json()
    assert sorted(s["exercise_id"] for s in stored["submissions"]) == sorted(CORRECT)


def test_a_wrong_solution_in_toml_gets_the_named_misconception(client) -> None:
    test_client, tokens = client
    exercise_id, code, misconception = next(w for w in WRONG if w[2] == "log2_for_nats")
    response = _post(test_client, tokens["s2"], code_toml({exercise_id: code}), TOML)
    assert response.status_code == 201, response.text
    (feedback,) = response.json()["feedback"]
    assert feedback["misconception"] == misconception
    assert feedback["score"] < 1.0
    wrong = [p for p in feedback["parts"] if p["verdict"] == "wrong"]
    assert wrong and all("expected" in p["message"] and "got" in p["message"] for p in wrong)


def test_a_forbidden_import_is_refused_with_its_line_and_nothing_runs(client) -> None:
    test_client, tokens = client
    code = "import numpy as np\nimport os\n\ndef entropy(p, base):\n    return os.system('id')\n"
    response = _post(test_client, tokens["s1"], code_toml({"code.entropy": code}), TOML)
    assert response.status_code == 201
    (error,) = response.json()["errors"]
    assert error["exercise_id"] == "code.entropy" and "line 2" in error["message"] and "os" in error["message"]


def test_an_endless_loop_gets_a_verdict_while_the_api_keeps_serving(client) -> None:
    test_client, tokens = client
    answers: dict[str, Any] = {}

    def hostile() -> None:
        answers["response"] = _post(test_client, tokens["s1"], code_toml({"code.entropy": ENDLESS}), TOML)

    thread = threading.Thread(target=hostile)
    thread.start()
    try:
        # While the sandbox burns its CPU limit, the API answers other requests.
        assert test_client.get("/api/v1/health").status_code == 200
        sheet = test_client.get("/api/v1/sheet?format=json&exercise=code.entropy",
                                headers={"Authorization": f"Bearer {tokens['s2']}"})
        assert sheet.status_code == 200
    finally:
        thread.join(timeout=60)
    response = answers["response"]
    assert response.status_code == 201
    (feedback,) = response.json()["feedback"]
    assert feedback["score"] == 0.0
    assert feedback["parts"][0]["verdict"] == "invalid"
    assert feedback["parts"][0]["message"].startswith("your code ran past the ")
    again = _post(test_client, tokens["s1"], code_toml({"code.entropy": CORRECT["code.entropy"]}), TOML)
    assert again.json()["feedback"][0]["score"] == 1.0


def test_submit_sends_code_files_next_to_the_submission_and_never_one_outside(
    client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    test_client, tokens = client
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "entropy.py").write_text(CORRECT["code.entropy"])
    (tmp_path / "private.py").write_text(CORRECT["code.log_softmax"])
    (folder / "answers.toml").write_text(
        '[answers]\n"code.entropy" = { file = "entropy.py" }\n"code.log_softmax" = { file = "../private.py" }\n'
    )
    with serving(test_client.app) as server:
        code = main(["submit", str(folder / "answers.toml"), "--server", server, "--token", tokens["s1"], "--json"])
    assert code == 1  # the file outside the folder is an error
    (result,) = json.loads(capsys.readouterr().out)["files"]
    scores = {f["exercise_id"]: f["score"] for f in result["feedback"]}
    assert scores == {"code.entropy": 1.0, "code.log_softmax": 0.0}
    (error,) = result["errors"]
    assert error["exercise_id"] == "code.log_softmax"
    assert "'../private.py' is outside the submission's folder" in error["message"]
