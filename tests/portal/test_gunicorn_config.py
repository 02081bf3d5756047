"""gunicorn believes a request came over HTTPS only from the TLS proxy Django is told about."""

import http.client
import runpy

import pytest

from tests.processes import ROOT, service_env, start_web


def _forwarded_allow_ips(monkeypatch, **environment) -> str:
    for name in ("BEHIND_TLS_PROXY", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))["forwarded_allow_ips"]


def test_not_behind_a_proxy_gunicorn_trusts_no_forwarded_headers(monkeypatch):
    assert _forwarded_allow_ips(monkeypatch) == ""
    assert _forwarded_allow_ips(monkeypatch, BEHIND_TLS_PROXY="false") == ""


def test_behind_a_proxy_gunicorn_trusts_the_proxys_addresses(monkeypatch):
    assert _forwarded_allow_ips(monkeypatch, BEHIND_TLS_PROXY="true") == "127.0.0.1,::1"
    assert (
        _forwarded_allow_ips(monkeypatch, BEHIND_TLS_PROXY="true", FORWARDED_ALLOW_IPS="10.0.0.5")
        == "10.0.0.5"
    )


@pytest.mark.django_db
def test_a_forged_https_header_from_the_same_machine_is_still_sent_to_https(tmp_path):
    env = service_env(SECURE_SSL_REDIRECT="true")
    env.pop("BEHIND_TLS_PROXY", None)
    env.pop("FORWARDED_ALLOW_IPS", None)
    web, base_url = start_web(env, tmp_path, workers=1, threads=1)
    try:
        connection = http.client.HTTPConnection(base_url.removeprefix("http://"), timeout=30)
        connection.request("GET", "/cities/", headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        connection.close()
    finally:
        web.stop()

    assert response.status == 301
    assert response.getheader("Location") == f"https://{base_url.removeprefix('http://')}/cities/"
