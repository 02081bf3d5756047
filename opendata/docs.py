"""The API's documentation page, written from the OpenAPI schema that drf-spectacular makes of
the code: each operation with its parameters and answers, each kind of record with its fields.
A page of the portal's own (its layout, its accessibility, its languages), so nothing of a
third party's interface is served."""

from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator

# The schema changes only with the code, and the release is in every key of the cache.
KEPT_SECONDS = 24 * 3600


def schema() -> dict:
    return cache.get_or_set(
        "api-schema", lambda: SchemaGenerator().get_schema(request=None, public=True), KEPT_SECONDS
    )


def _type(spec: dict) -> str:
    """A field's or parameter's type as a reader needs it: its kind, format, values or record."""
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if "allOf" in spec or "oneOf" in spec:
        parts = spec.get("allOf") or spec.get("oneOf")
        return " | ".join(_type(part) for part in parts)
    if spec.get("type") == "array":
        return f"list of {_type(spec.get('items', {}))}"
    if "enum" in spec:
        return "one of: " + ", ".join(str(value) for value in spec["enum"] if value)
    kind = spec.get("type", "object")
    if spec.get("format"):
        kind = f"{kind} ({spec['format']})"
    if spec.get("nullable"):
        kind += ", or null"
    return kind


def _answers(responses: dict) -> list[dict]:
    found = []
    for code, response in sorted(responses.items()):
        content = response.get("content", {}).get("application/json", {})
        found.append({"code": code, "type": _type(content.get("schema", {}))})
    return found


def operations() -> list[dict]:
    found = []
    for path, methods in schema()["paths"].items():
        for method, operation in methods.items():
            found.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "type": _type(parameter.get("schema", {})),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "answers": _answers(operation.get("responses", {})),
                    "try": path if "{" not in path and "dashboard" not in path else "",
                }
            )
    return found


def records() -> list[dict]:
    return [
        {
            "name": name,
            "description": spec.get("description", ""),
            "fields": [
                {
                    "name": field,
                    "type": _type(inner),
                    "description": inner.get("description", ""),
                }
                for field, inner in spec.get("properties", {}).items()
            ],
        }
        for name, spec in schema()["components"]["schemas"].items()
        if "properties" in spec
    ]
