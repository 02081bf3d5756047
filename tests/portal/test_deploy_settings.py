import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "SECRET_KEY": "a-long-production-secret-3f9c1e7b5d2a8064ce71b9f2a4d6e0c8b1f7a3e5d9c2",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "diplomats.example.org",
    "DATABASE_URL": "postgres://portal:secret@db.example.org:5432/portal",
    "REDIS_URL": "redis://cache.example.org:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
}


def _production_environment(**overrides):
    env = {**os.environ, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "diplomacy_portal.settings"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    return {**env, **overrides}


def test_deploy_check_is_clean_with_production_values():
    env = _production_environment()

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_deploy_check_fails_without_a_secret_key():
    env = _production_environment(SECRET_KEY="")

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
