from django.core.management import call_command


def test_the_openapi_schema_generates_without_warnings(tmp_path, db):
    """A warning means two components share a name or a view cannot be described: the schema would lie."""
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/deposits/members/{id}/deposits/" in text and "MemberDepositInput" in text


def test_swagger_ui_is_served(client):
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page and "cdn" not in page.lower()
    assert client.get("/api/schema/").status_code == 200


def test_pages_are_chinese_whatever_the_browser_asks_until_the_user_switches(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans"' in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get("/").content.decode()
