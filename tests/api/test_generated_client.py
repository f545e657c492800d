"""The API as an integrator uses it: a Python client generated from the live schema by
openapi-python-client (generated into a temporary folder, never committed) drives a
whole dossier on a live server, and reads the documented error types."""
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from tests.factories import ProcedureFactory, StaffFactory, reload_reference_data

PACKAGE = "cchc_api_client"


@pytest.fixture
def generated(live_server, tmp_path):
    """Generate the client from the live server's schema and import it."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    result = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--url", f"{live_server.url}/api/v1/schema/?format=json",
         "--meta", "none", "--output-path", str(tmp_path / PACKAGE)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    sys.path.insert(0, str(tmp_path))
    try:
        yield lambda name: importlib.import_module(f"{PACKAGE}.{name}")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_drives_a_whole_dossier(live_server, generated):
    reload_reference_data()  # an earlier transactional test may have flushed it
    staff = StaffFactory(username="integrator")
    procedure = ProcedureFactory(unit=staff.unit, processing_days=5)
    token = Token.objects.create(user=staff)

    client = generated("client").AuthenticatedClient(base_url=live_server.url, token=token.key, prefix="Token")
    models = generated("models")
    create = generated("api.dossiers.dossiers_create")
    act = generated("api.dossiers.dossiers_actions_create")
    read = generated("api.dossiers.dossiers_retrieve")

    dossier = create.sync(client=client, body=models.DossierCreateRequest(
        unit=staff.unit.slug, procedure=procedure.code, applicant_name="Nguyễn Văn An", applicant_phone="0901234567",
    ))
    assert isinstance(dossier, models.Dossier)
    assert str(dossier.status) == "received"
    code = dossier.code

    steps = [
        ("start", {}), ("request_supplement", {"reason": "Thiếu bản sao giấy khai sinh"}), ("resume", {}),
        ("complete", {}), ("return", {}),
    ]
    for action, extra in steps:
        body = models.ActionRequest(action=models.ActionActionEnum(action), **extra)
        answer = act.sync_detailed(code=code, client=client, body=body)
        assert answer.status_code == 200, (action, answer.content)
        assert isinstance(answer.parsed, models.Dossier)

    final = read.sync(code=code, client=client)
    assert str(final.status) == "returned"
    assert [str(e.action) for e in final.events] == [
        "receive", "start", "request_supplement", "resume", "complete", "return",
    ]
    assert str(final.timeliness) in {"early", "on_time"}

    # A transition the state does not allow: the documented 409 type.
    refused = act.sync_detailed(code=code, client=client, body=models.ActionRequest(action=models.ActionActionEnum("start")))
    assert refused.status_code == 409
    assert isinstance(refused.parsed, models.ErrorDetail)
    assert refused.parsed.detail

    # Invalid input: the documented 400 shape, messages per field.
    invalid = create.sync_detailed(client=client, body=models.DossierCreateRequest(
        unit=staff.unit.slug, procedure=procedure.code, applicant_name="Nguyễn Văn An", applicant_phone="gọi tôi",
    ))
    assert invalid.status_code == 400
    assert isinstance(invalid.parsed, models.ValidationErrors)
    assert "applicant_phone" in invalid.parsed.additional_properties

    # Another unit's dossier does not exist for this account: the documented 404 type.
    missing = read.sync_detailed(code="KHONG-CO-0000", client=client)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.ErrorDetail)
