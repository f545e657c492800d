"""schemathesis against /api/v1/schema/ on a live server, with a token: whatever it
sends, the API never answers with a server error. Bounded (few examples per
operation, fixed seed) so that it stays quick in CI."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from tests.factories import AdminFactory, ProcedureFactory, StaffFactory, receive_dossier, reload_reference_data

MAX_EXAMPLES = "10"
# The coverage phase (boundary values of every parameter) is thorough but slow on 2 cores:
# PROOF_SCHEMATHESIS_PHASES=examples,coverage,fuzzing turns it on for a deeper run.
PHASES = os.environ.get("PROOF_SCHEMATHESIS_PHASES", "examples,fuzzing")
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"


@pytest.mark.django_db(transaction=True)
def test_api_never_answers_with_a_server_error(live_server, tmp_path):
    """As the administrator, who may call every operation (the widest code paths)."""
    who = "admin"
    reload_reference_data()  # an earlier transactional test may have flushed it
    staff = StaffFactory(username="staff-api")
    receive_dossier(procedure=ProcedureFactory(unit=staff.unit), actor=staff)
    user = AdminFactory(username="admin-api")
    token = Token.objects.create(user=user)
    report = ARTIFACTS / f"schemathesis-{who}.txt"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", f"{live_server.url}/api/v1/schema/",
         "--checks", "not_a_server_error", "--max-examples", MAX_EXAMPLES, "--seed", "7", "--phases", PHASES,
         "--header", f"Authorization: Token {token.key}", "--request-timeout", "20",
         "--suppress-health-check", "all", "--no-color"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,  # its example database stays out of the tree
    )
    report.write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "operations" in result.stdout.lower() or "passed" in result.stdout.lower()
