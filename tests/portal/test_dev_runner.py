"""`make run` (scripts/dev.py) gives the portal the address it is served at."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dev(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("dev_runner", ROOT / "scripts" / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "DATA", tmp_path)  # its secret key file, not the checkout's
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/unused")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    return module


def test_links_name_the_port_the_portal_is_served_at(dev, monkeypatch):
    monkeypatch.setenv("PORT", "8765")
    assert dev.development_environment()["SITE_URL"] == "http://127.0.0.1:8765"


def test_links_name_port_8000_when_no_port_is_given(dev):
    env = dev.development_environment()
    assert (env["PORT"], env["SITE_URL"]) == ("8000", "http://127.0.0.1:8000")


def test_an_address_set_explicitly_is_kept(dev, monkeypatch):
    monkeypatch.setenv("PORT", "8765")
    monkeypatch.setenv("SITE_URL", "https://diplomats.example.org")
    assert dev.development_environment()["SITE_URL"] == "https://diplomats.example.org"
