"""Property-based: the ``schemathesis`` command line generates requests from
``/api/openapi.json`` and sends them over real HTTP to the API on loopback, signed in as an
administrator. Whatever it sends: no 500, every response matches the schema (status, content
type, headers, body), and data the schema forbids is refused with a 4xx.

(schemathesis' pytest plugin does not run under pytest 9 yet, so the suite runs its command line,
the way a user would, and reads its JSON report.) Operations that end the run's own credentials
(sign-out, revoking keys) are left out; their refusals are tested by hand in the other API tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.app import Application
from core.config import load_settings
from core.db.engine import Database
from core.domain import Role
from tests.support.api_server import ApiServer, serve_api
from tests.support.factories import PASSWORD, make_user

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
        "negative_data_rejection",
    ]
)
LEFT_OUT = r"/v1/(auth/logout|api_keys/\{[^}]+\}/revoke)/$"
ADMIN = "schema-admin@example.com"
MAX_EXAMPLES = 25


@pytest.fixture
def served(tmp_path: Path, migrated_sqlite_template: Any) -> Iterator[ApiServer]:
    data = tmp_path / "data"
    data.mkdir()
    settings = load_settings(
        data_dir=data, database_url=f"sqlite:///{data / 'app.db'}", evaluator="offline"
    )
    migrated_sqlite_template.copy_to(data / "app.db")
    db = Database(settings.resolved_database_url)
    make_user(db, Role.ADMIN, ADMIN)
    app = Application(settings, db)
    with serve_api(app) as server:
        yield server
    app.close()
    db.dispose()


@pytest.mark.slow
def test_schemathesis_finds_no_500s_and_no_response_that_breaks_the_schema(
    served: ApiServer, tmp_path: Path
) -> None:
    token = served.login(ADMIN, PASSWORD)["access"]
    report = tmp_path / "schemathesis.ndjson"
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{served.base}/openapi.json",
        "--url",
        served.base,
        "--checks",
        CHECKS,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        "20",
        "--exclude-path-regex",
        LEFT_OUT,
        "-H",
        f"Authorization: Bearer {token}",
        "--request-timeout",
        "30",
        "--no-color",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
    ]
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=1200, check=False, cwd=tmp_path
    )
    summary = run.stdout[-6000:]
    print(summary)
    assert run.returncode == 0, summary + run.stderr[-2000:]
    events = [json.loads(line) for line in report.read_text().splitlines() if line.strip()]
    assert events, "schemathesis wrote no report"
