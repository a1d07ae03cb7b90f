"""Every list the API answers has the one documented page shape, and paging works on it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from coverwatch.pagination import PageParams, paginate_list

PAGE_FIELDS = {"items", "page", "per_page", "total"}


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _json_200(operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return schema or None


def test_no_api_list_is_a_bare_array(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    pages = 0
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        if not path.startswith("/api/v1/") or get is None:
            continue
        declared = _json_200(get)
        if declared is None:  # a file download, not JSON
            continue
        schema = _resolve(spec, declared)
        assert schema.get("type") != "array", f"GET {path}: answer a Page[...], not a bare list"
        # A free-form object hides its shape (a list was once answered as {"items": [...]}).
        assert "$ref" in declared, f"GET {path}: give its 200 answer a response model"
        properties = schema.get("properties", {})
        if "items" not in properties:
            continue
        assert set(properties) >= PAGE_FIELDS, f"GET {path}: a list needs {sorted(PAGE_FIELDS)}"
        assert _resolve(spec, properties["items"]).get("type") == "array", path
        parameters = {p["name"] for p in get.get("parameters", []) if p["in"] == "query"}
        assert {"page", "per_page"} <= parameters, f"GET {path}: take page_params"
        pages += 1
    # The lists known today; a new one only raises the count.
    assert pages >= 19
    # Two models of one name (two Page[DeliveryOut]) get module-path names clients cannot use.
    clashes = [name for name in spec["components"]["schemas"] if name.startswith("coverwatch__")]
    assert clashes == []


def test_a_page_of_a_list_in_memory() -> None:
    letters = list("abcde")
    assert paginate_list(letters, PageParams(page=2, per_page=2)) == (["c", "d"], 5)
    assert paginate_list(letters, PageParams(page=3, per_page=2)) == (["e"], 5)
    assert paginate_list(letters, PageParams(page=4, per_page=2)) == ([], 5)
