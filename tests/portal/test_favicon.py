"""The portal has an icon: named on every page and answering at /favicon.ico."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_every_page_names_the_icon(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert 'href="/static/img/favicon.ico"' in html


def test_favicon_ico_leads_to_the_icon_among_the_static_files(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302 and response["Location"] == "/static/img/favicon.ico"
    with open(finders.find("img/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file's signature
