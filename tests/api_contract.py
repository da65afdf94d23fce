"""The published OpenAPI schema as a test oracle: every real answer must carry a documented status code and
a body that validates against what the schema documents for that code (what a generated client relies on).

    contract = Contract.load()                        # GET /api/schema/?format=json, as a client would
    contract.call(client, "get", "/api/deposits/bills/{id}/", id=bill.pk)   # request, then check, then return

OpenAPI 3.0 schemas are JSON Schema draft 4 plus `nullable`; `to_json_schema` turns `nullable` into a
"null" type, and formats are checked (a month sent where `date` is documented fails here).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cached_property
from typing import Any

from jsonschema import Draft4Validator, FormatChecker
from rest_framework.test import APIClient

# Keywords of OpenAPI's schema object that JSON Schema does not know; they carry no constraint.
_ANNOTATIONS = {"nullable", "example", "readOnly", "writeOnly", "discriminator", "xml", "externalDocs", "deprecated"}
_SCHEMA_MAPS = {"properties", "patternProperties", "definitions"}  # name → schema: the names are not keywords


def to_json_schema(node: Any) -> Any:
    """An OpenAPI 3.0 schema (or the whole document) as JSON Schema draft 4."""
    if isinstance(node, list):
        return [to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in _ANNOTATIONS:
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: to_json_schema(schema) for name, schema in value.items()}
        else:
            out[key] = to_json_schema(value)
    if node.get("nullable") is True:
        if "type" in out and "$ref" not in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    # RFC 3339: a full date and time with its offset (jsonschema checks it only with an optional package).
    return not isinstance(value, str) or (len(value) >= 20 and datetime.fromisoformat(value).tzinfo is not None)


@FORMATS.checks("date", raises=ValueError)
def _date(value: object) -> bool:
    return not isinstance(value, str) or bool(date.fromisoformat(value)) and len(value) == 10


class Contract:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.components = to_json_schema(document.get("components", {}))
        self.checked: set[tuple[str, str, str]] = set()  # (method, path template, status) seen, for coverage

    @classmethod
    def load(cls) -> Contract:
        response = APIClient().get("/api/schema/", {"format": "json"})
        assert response.status_code == 200, response.content[:500]
        return cls(response.json())

    @cached_property
    def paths(self) -> dict[str, Any]:
        return self.document["paths"]

    def operation(self, method: str, template: str) -> dict[str, Any]:
        assert template in self.paths, f"{template} is not in the schema"
        operation = self.paths[template].get(method.lower())
        assert operation is not None, f"{method.upper()} {template} is not in the schema"
        return operation

    def check(self, response: Any, method: str, template: str) -> None:
        """Fail unless `response` is one the schema documents for this operation, body and all."""
        operation = self.operation(method, template)
        code = str(response.status_code)
        where = f"{method.upper()} {template} answered {code}"
        documented = operation["responses"]
        assert code in documented, f"{where}, which the schema does not document ({', '.join(documented)}): " \
                                   f"{response.content[:300]!r}"
        self.checked.add((method.lower(), template, code))
        answer = documented[code]
        for header in answer.get("headers", {}):
            assert response.has_header(header), f"{where} without its documented {header} header"
        content = answer.get("content")
        if not content:
            assert not response.content, f"{where} with a body the schema says it has not: {response.content[:200]!r}"
            return
        media_type = response["Content-Type"].split(";")[0].strip()
        assert media_type in content, f"{where} as {media_type}; documented: {', '.join(content)}"
        if media_type != "application/json":
            return
        schema = to_json_schema(content[media_type]["schema"])
        validator = Draft4Validator({"allOf": [schema], "components": self.components}, format_checker=FORMATS)
        errors = sorted(validator.iter_errors(response.json()), key=lambda e: list(e.absolute_path))
        assert not errors, f"{where} with a body the schema does not describe:\n" + "\n".join(
            f"  at {'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message[:300]}" for e in errors[:10]
        )

    def call(self, client: APIClient, method: str, template: str, data: Any = None, *, query: dict | None = None,
             fmt: str = "json", content_type: str | None = None, headers: dict[str, str] | None = None,
             **path: Any) -> Any:
        """Make the request `template` (with `path` filled in) names, check the answer, and return it.
        `data` goes as `fmt` ("json", "multipart"), or as raw bytes of `content_type` when that is given."""
        url = template.format(**path)
        send = getattr(client, method.lower())
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        if method.lower() == "get":
            response = send(url, query or {}, **extra)
        else:
            if query:
                from urllib.parse import urlencode

                url = f"{url}?{urlencode(query)}"
            if content_type:
                response = send(url, data, content_type=content_type, **extra)
            else:
                response = send(url, data, format=fmt, **extra)
        self.check(response, method, template)
        return response
