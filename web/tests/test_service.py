import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.db.utils import OperationalError
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_without_sign_in_and_shows_no_data(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}


def test_healthz_reports_a_database_failure(client, db):
    with mock.patch("web.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_pages_use_no_inline_script(client, world, signed_in):
    text = signed_in(world.sw).get(reverse("children:detail", args=[world.child.public_id])).content.decode()
    assert "<script>" not in text and "onclick" not in text
    assert 'class="govuk-template' in text and "govuk-phase-banner" in text


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "sightline.settings.production",
    "SECRET_KEY": "a-long-random-value-only-for-this-check-0123456789abcdefghijklmnop",
    "ALLOWED_HOSTS": "sightline.example.org",
}


def test_production_settings_pass_the_deployment_checklist():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_demo_mode():
    result = _manage("check", **PRODUCTION, SIGHTLINE_DEMO="1")
    assert result.returncode != 0
    assert "sightline.E001" in result.stderr


def test_production_settings_need_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", **env, SECRET_KEY="")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
