"""The OpenAPI schema as an integrator reads it: valid under the OpenAPI 3.0 rules (an
independent validator, not drf-spectacular's own), and every operation documented —
summary, Vietnamese and English description, examples, the error answers it can give."""
import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    client.force_login(StaffFactory())
    response = client.get("/api/v1/schema/", {"format": "json"}, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_the_schema_passes_an_independent_openapi_3_0_validator(schema):
    assert schema["openapi"].startswith("3.0")
    errors = [f"{list(e.path)}: {e.message}" for e in OpenAPIV30SpecValidator(schema).iter_errors()]
    assert errors == []


def test_every_operation_has_a_summary_and_both_descriptions(schema):
    missing = []
    for path, method, operation in _operations(schema):
        summary = operation.get("summary", "")
        description = operation.get("description", "")
        # "Vietnamese / English" summary, a Vietnamese paragraph then an English one
        if " / " not in summary or "\n\n" not in description:
            missing.append(f"{method.upper()} {path}")
    assert missing == []


def test_every_operation_has_request_and_response_examples(schema):
    missing = []
    for path, method, operation in _operations(schema):
        body = operation.get("requestBody", {}).get("content", {})
        if body and not any(media.get("examples") for media in body.values()):
            missing.append(f"request of {method.upper()} {path}")
        ok = next(code for code in operation["responses"] if code.startswith("2"))
        content = operation["responses"][ok].get("content", {})
        if content and not any(media.get("examples") for media in content.values()):
            missing.append(f"response of {method.upper()} {path}")
    assert missing == []


def test_every_operation_lists_the_errors_it_can_give(schema):
    wrong = []
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        expected = {"401", "403"} if operation.get("security") != [{}] and "verify" not in path else set()
        if method == "post":
            expected.add("400")
        if "{" in path:
            expected.add("404")
        if path.endswith("/actions/"):
            expected.add("409")
        if not expected <= codes:
            wrong.append(f"{method.upper()} {path}: lacks {sorted(expected - codes)}")
    assert wrong == []
    actions = schema["paths"]["/api/v1/dossiers/{code}/actions/"]["post"]["responses"]
    assert actions["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorDetail"}
    assert actions["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ValidationErrors"}


def _enum(schema, prop):
    """The enum values behind a property (inline, a $ref, or an allOf of one $ref)."""
    prop = prop["allOf"][0] if "allOf" in prop else prop
    if "$ref" in prop:
        prop = schema["components"]["schemas"][prop["$ref"].rsplit("/", 1)[1]]
    return set(prop["enum"])


def test_enums_carry_their_values(schema):
    components = schema["components"]["schemas"]
    assert {"stopped", "awaiting_supplement"} <= _enum(schema, components["Dossier"]["properties"]["status"])
    assert {"start", "complete", "stop", "apologize"} <= _enum(schema, components["ActionRequest"]["properties"]["action"])
    params = {p["name"]: p for p in schema["paths"]["/api/v1/dossiers/"]["get"]["parameters"]}
    assert set(params["apology"]["schema"]["enum"]) == {"none", "any", "timely", "late"}


def test_parameter_schemas_carry_no_translated_titles(schema):
    titled = [f"{path} {p['name']}" for path, _m, op in _operations(schema)
              for p in op.get("parameters", []) if "title" in p.get("schema", {})]
    assert titled == []
