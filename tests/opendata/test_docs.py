"""The API's documentation page: written by the portal from the API's own schema."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_documentation_names_every_operation_and_record(client):
    page = client.get("/api/v1/docs/", headers={"accept-language": "fa"})

    html = page.content.decode()
    for path in ["/api/v1/cities/", "/api/v1/initiatives/{slug}/", "/api/v1/dashboard/cities/"]:
        assert f"<code>{path}</code>" in html
    for record in ["City", "Initiative", "Meeting", "Figures", "DashboardCity"]:
        assert f'id="record-{record}"' in html
    assert "پاسخ 429 همراه با Retry-After" in html  # the page's own words are in Persian
    assert 'href="/api/v1/schema/?format=json"' in html


def test_the_schema_is_served_as_json_on_request(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    assert schema["openapi"].startswith("3.")
    assert "/api/v1/meetings/{id}/" in schema["paths"]
