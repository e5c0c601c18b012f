"""The OpenAPI schema: it generates with no warning, every operation has a summary, its error responses and
examples; the docs UI is served from the site's own static files."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import Client

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def test_the_schema_generates_with_no_warning(db: None) -> None:
    out = io.StringIO()
    # --fail-on-warn turns any warning into an error: the command would raise.
    call_command("spectacular", "--validate", "--fail-on-warn", "--api-version", "v1", stdout=out)
    assert "/api/v1/attempts/{attempt_id}/answers/{question_key}/" in out.getvalue()


def test_every_operation_has_a_summary_errors_and_examples(client: Client) -> None:
    response = client.get("/api/v1/schema/", headers={"Accept": "application/vnd.oai.openapi+json"})
    assert response.status_code == 200
    schema = response.json()
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]
    assert len(operations) >= 39
    for path, method, operation in operations:
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        codes = {int(code) for code in operation["responses"]}
        assert any(code < 300 for code in codes) and any(code >= 400 for code in codes), where
        for code, answer in operation["responses"].items():
            if code in {"204", "304"}:
                assert "content" not in answer, where  # no body
                continue
            # A file (a CSV, an export in its format) is a body of its own type: an example for each type.
            types = answer["content"] if code < "300" else {"application/json": None}
            for media_type in types:
                assert answer["content"][media_type].get("examples"), f"{where} {code} {media_type}"
        if int(min(codes)) < 300 and "requestBody" in operation:
            # JSON; a request taking no JSON (a file as multipart/form-data or as the body itself), each type.
            contents = operation["requestBody"]["content"]
            for media_type in ["application/json"] if "application/json" in contents else contents:
                assert contents[media_type].get("examples"), f"{where} {media_type}"
    assert {"personalToken", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_the_docs_ui_comes_from_our_static_files(client: Client) -> None:
    page = client.get("/api/v1/docs/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html.replace("https://www.w3.org", "")
    assert "<script>" not in html  # no inline script: the site's Content-Security-Policy allows none
