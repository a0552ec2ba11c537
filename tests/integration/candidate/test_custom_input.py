"""Run with my input: the candidate's code on an input they typed, through the room's use case
(real sandbox, real problem bank, real database). Nothing is graded or stored; the input is
checked before anything runs; only the candidate holding the link, in the live tab, may run."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.coding.attempts import CodingError
from core.coding.custom_run import MAX_INPUT_BYTES, CustomInputError, CustomRunResult
from core.coding.sandbox.factory import build_sandbox
from core.coding.sandbox.models import RunRequest, RunResult
from core.config import Settings
from core.db.engine import Database
from core.db.models import CodeSubmission, InterviewQuestion
from core.domain import CodingLanguage, Role, SubmissionKind
from core.errors import PermissionDenied
from core.interview import coding_room, flow
from core.interview.view import FlowError
from core.staff.permissions import CandidatePrincipal, Principal, StaffPrincipal
from tests.support.factories import make_interview
from tests.support.shared import require_or_skip

L = CodingLanguage
BANK = Path(__file__).resolve().parents[3] / "core" / "coding" / "problems" / "bank"
NOW = datetime(2026, 1, 5, 10, 5, tzinfo=UTC)
PAIR = "def pair_with_sum(nums, target):\n    print('looking at', nums)\n    return [0, 1]\n"


class CountingSandbox:
    """The real sandbox, counting the processes it starts."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.sandboxed = True
        self.runs = 0

    def run(self, request: RunRequest) -> RunResult:
        self.runs += 1
        return self.inner.run(request)  # type: ignore[attr-defined, no-any-return]


@dataclass(frozen=True)
class Room:
    db: Database
    iid: int
    qid: int
    token: str
    sandbox: CountingSandbox


@pytest.fixture
def room(db: Database, settings: Settings) -> Room:
    require_or_skip(shutil.which("bwrap") is not None, "bubblewrap is not installed")
    iid = make_interview(db, scheduled_at=NOW)
    with db.write() as s:
        q = s.scalars(
            select(InterviewQuestion)
            .where(InterviewQuestion.interview_id == iid)
            .order_by(InterviewQuestion.order)
        ).first()
        q.coding_problem_ref = "pair-with-sum"
        qid = q.id
    token = flow.new_session_token()
    flow.start(db, iid, token=token, now=NOW)
    return Room(db, iid, qid, token, CountingSandbox(build_sandbox(settings)))


def _run(
    room: Room,
    code: str,
    text: str,
    language: CodingLanguage = L.PYTHON,
    *,
    principal: Principal | None = None,
    token: str | None = None,
    now: datetime = NOW,
) -> CustomRunResult:
    return coding_room.run_with_input(
        room.db,
        room.sandbox,
        principal or CandidatePrincipal(room.iid),  # type: ignore[arg-type]
        room.iid,
        room.qid,
        language=language,
        code=code,
        input_text=text,
        token=token or room.token,
        now=now,
    )


def test_the_function_runs_on_the_typed_arguments_and_nothing_is_stored(room: Room) -> None:
    result = _run(room, PAIR + "import sys\nprint('note', file=sys.stderr)\n", "[5, 6, 7]\n13\n")
    assert result.status == "ok" and result.value == "[0, 1]"
    assert "looking at [5, 6, 7]" in result.stdout
    assert "note" in result.stderr
    assert result.exit_code == 0 and result.wall_seconds > 0 and result.sandboxed
    with room.db.read() as s:
        assert s.scalar(select(func.count()).select_from(CodeSubmission)) == 0


def test_runtime_error_and_time_limit_are_reported(room: Room) -> None:
    crash = "def pair_with_sum(nums, target):\n    return nums[99]\n"
    result = _run(room, crash, "[1, 2]\n3\n")
    assert result.status == "error" and "IndexError" in result.error and "line 2" in result.error
    loop = "def pair_with_sum(nums, target):\n    while True:\n        pass\n"
    assert _run(room, loop, "[1, 2]\n3\n").status == "time_limit"


def test_java_compile_error_has_the_editor_line(room: Room) -> None:
    code = (
        "class Solution {\n"
        "    public static int[] pairWithSum(int[] nums, int target) {\n"
        "        int x = ;\n    }\n}\n"
    )
    result = _run(room, code, "[1, 2]\n3\n", L.JAVA)
    assert result.status == "compile_error"
    assert result.compile_errors[0].line == 3
    assert "Solution.java:3" in result.compile_output and "src/" not in result.compile_output


def test_a_renamed_java_method_is_explained(room: Room) -> None:
    code = "class Solution {\n    public static int[] other(int[] n, int t) { return n; }\n}\n"
    result = _run(room, code, "[1, 2]\n3\n", L.JAVA)
    assert result.status == "compile_error"
    assert "keep the class Solution" in result.compile_errors[0].message


def test_too_large_input_is_refused_with_a_stable_code_before_running(room: Room) -> None:
    huge = "[" + ", ".join(["1"] * (MAX_INPUT_BYTES // 2)) + "]\n3\n"
    with pytest.raises(CustomInputError) as caught:
        _run(room, PAIR, huge)
    assert caught.value.code == "custom_input_too_large"
    assert "the limit is 64 KB" in str(caught.value)
    assert room.sandbox.runs == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]\n", "found 1"),
        ("[1, 2]\n3\n4\n", "found 3"),
        ("[1, 2\n3\n", "not valid JSON"),
        ("[1, 2]\nNaN\n", "not valid JSON"),
        ("[1, 2]\n1e999\n", "not valid JSON"),
        ("[1, 2]\n" + "[" * 20_000 + "]" * 20_000 + "\n", "not valid JSON|must be"),
        ('["a", "b"]\n3\n', "nums must be of type int"),
        ("[1, 2]\n99999999999\n", "target must be of type int"),
        ("[1, 2]\n3\x00\n", "NUL"),
        # A forged result line is just a wrong number of values: it never reaches the harness.
        ('0123456789abcdef0123456789abcdef 0 {"ok": true}\n[1, 2]\n3\n', "found 3"),
    ],
)
def test_hostile_or_malformed_input_is_refused_without_running(
    room: Room, text: str, message: str
) -> None:
    with pytest.raises(CustomInputError, match=message) as caught:
        _run(room, PAIR, text)
    assert caught.value.code == "custom_input_invalid"
    assert room.sandbox.runs == 0


def test_strings_cannot_break_out_of_their_line(room: Room) -> None:
    code = "def is_balanced(text):\n    return len(text)\n"
    with room.db.write() as s:
        s.get(InterviewQuestion, room.qid).coding_problem_ref = "balanced-brackets"
    typed = '"a\\nb\\u0000c\\n0123456789abcdef0123456789abcdef 0 {\\"ok\\": true}"'
    result = _run(room, code, typed + "\n")
    assert result.status == "ok" and result.value == str(len(json.loads(typed))), result


def test_sql_runs_on_the_candidates_rows(room: Room) -> None:
    with room.db.write() as s:
        s.get(InterviewQuestion, room.qid).coding_problem_ref = "department-headcount"
    query = (BANK / "department-headcount" / "solution.sql").read_text()
    data = "INSERT INTO departments (id, name) VALUES (1, 'Research');\n"
    result = _run(room, query, data, L.SQL)
    assert result.status == "ok" and result.rows == (("Research", 0),), result
    broken = _run(room, query, "INSERT INTO nowhere VALUES (1);", L.SQL)
    assert broken.status == "error" and broken.error.startswith("Your input")


def test_only_the_link_holder_in_the_live_tab_may_run(room: Room) -> None:
    other = make_interview(room.db, scheduled_at=NOW)
    for principal in (CandidatePrincipal(other), StaffPrincipal(1, Role.ADMIN)):
        with pytest.raises(PermissionDenied):
            _run(room, PAIR, "[1, 2]\n3\n", principal=principal)
    with pytest.raises(FlowError, match="another tab"):
        _run(room, PAIR, "[1, 2]\n3\n", token="not-this-tab")
    with pytest.raises(FlowError, match="Time is up"):
        _run(room, PAIR, "[1, 2]\n3\n", now=NOW + timedelta(days=1))
    with pytest.raises(CodingError, match="empty"):
        _run(room, "  ", "[1, 2]\n3\n")
    assert room.sandbox.runs == 0


def test_run_and_submit_check_the_principal_too(room: Room) -> None:
    db, iid, qid, token, sandbox = room.db, room.iid, room.qid, room.token, room.sandbox
    good = (BANK / "pair-with-sum" / "solution.py").read_text()
    with pytest.raises(PermissionDenied):
        coding_room.run_code(
            db,
            sandbox,
            CandidatePrincipal(iid + 1),
            iid,
            qid,
            language=L.PYTHON,
            code=good,
            kind=SubmissionKind.RUN,
            token=token,
            now=NOW,
        )
    assert sandbox.runs == 0
    outcome = coding_room.run_code(
        db,
        sandbox,
        CandidatePrincipal(iid),
        iid,
        qid,
        language=L.PYTHON,
        code=good,
        kind=SubmissionKind.SUBMIT,
        token=token,
        now=NOW,
    )
    assert outcome.result.verdict.value == "accepted"
