"""The one-off messages ("Saved.") travel in a __Host- cookie in production, like the session."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A page that says "Saved." once, through Django's message middleware, as production sets it up.
SCRIPT = """
import django
django.setup()
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

def page(request):
    messages.success(request, "Saved.")
    return HttpResponse()

response = SessionMiddleware(MessageMiddleware(page))(RequestFactory().get("/", secure=True))
for name, cookie in response.cookies.items():
    print(name, bool(cookie["secure"]), cookie["path"], repr(cookie["domain"]))
"""


def _cookies(**environment) -> list[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "diplomacy_portal.settings",
        "SECRET_KEY": "x" * 60,
        **environment,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_in_production_the_messages_cookie_is_a_host_cookie():
    assert _cookies(DEBUG="false") == ["__Host-messages True / ''"]


def test_in_development_over_plain_http_it_keeps_djangos_name():
    assert _cookies(DEBUG="true") == ["messages False / ''"]
