"""The OpenAPI schema as integrators read it (docs/api.md).

Two pieces used by every app's API views:

- ``documented(...)``: ``extend_schema`` with a summary, a Vietnamese and an English
  description and request/response examples, so that each operation documents itself
  where it is written;
- ``add_error_responses``: a drf-spectacular post-processing hook that gives every
  operation the error answers it can give, with one shape each — 400 ``{field: [messages]}``,
  401/403/404 ``{detail}``, 409 ``{detail}`` on the action endpoints — instead of each view
  repeating them.
"""
from drf_spectacular.utils import OpenApiExample, extend_schema

# Operations anyone may call without an account (verifying signed documents, the trust roots).
PUBLIC_OPERATIONS = {"verify_create", "trust_retrieve"}

PAGINATION = {"page", "page_size"}

ERROR_COMPONENTS = {
    "ErrorDetail": {
        "type": "object",
        "description": "Lỗi kèm thông báo / An error with its message.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
        "example": {"detail": "Hồ sơ “Đã có kết quả” không thể “Bắt đầu xử lý”."},
    },
    "ValidationErrors": {
        "type": "object",
        "description": "Dữ liệu không hợp lệ: thông báo theo từng trường / Invalid input: messages per field.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"applicant_phone": ["Số điện thoại không hợp lệ."]},
    },
}

ERRORS = {
    "400": ("ValidationErrors", "Dữ liệu không hợp lệ / Invalid input"),
    "401": ("ErrorDetail", "Chưa đăng nhập hoặc token sai / Not authenticated"),
    "403": ("ErrorDetail", "Không có quyền / Not allowed for this account"),
    "404": ("ErrorDetail", "Không tìm thấy (hoặc ngoài phạm vi của tài khoản) / Not found or outside the account's scope"),
    "409": ("ErrorDetail", "Trạng thái hiện tại không cho phép thao tác này / The state does not allow this action"),
}


def documented(*, summary: str, vi: str, en: str, request_example=None, response_example=None, **kwargs):
    """``extend_schema`` for one operation: summary, both descriptions and examples."""
    examples = list(kwargs.pop("examples", []))
    if request_example is not None:
        examples.append(OpenApiExample("request", summary="Ví dụ / Example", value=request_example, request_only=True))
    if response_example is not None:
        examples.append(OpenApiExample("response", summary="Ví dụ / Example", value=response_example, response_only=True))
    return extend_schema(summary=summary, description=f"{vi}\n\n{en}", examples=examples, **kwargs)


def _errors_of(path: str, method: str, operation: dict) -> list[str]:
    codes = []
    query = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    if method in ("post", "put", "patch") or query - PAGINATION:
        codes.append("400")
    if operation.get("operationId") not in PUBLIC_OPERATIONS:
        codes += ["401", "403"]
    if "{" in path or "page" in query:  # a page past the last one is a 404 too
        codes.append("404")
    if path.rstrip("/").endswith("/actions"):
        codes.append("409")
    return codes


def add_error_responses(result, generator, request, public):
    """drf-spectacular hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in ERROR_COMPONENTS.items():
        schemas.setdefault(name, schema)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                # A form label as the title would name the generated clients' enum classes
                # in whatever language the schema was served in.
                parameter.get("schema", {}).pop("title", None)
                parameter.get("schema", {}).get("items", {}).pop("title", None)
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                # The API speaks JSON; the form encoding DRF also parses is for the browsable
                # API, and a second media type of the same shape breaks generated clients.
                for media in [m for m in content if m != "application/json"]:
                    del content[media]
            responses = operation.setdefault("responses", {})
            for code in _errors_of(path, method, operation):
                component, description = ERRORS[code]
                responses.setdefault(code, {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
                })
    return result
