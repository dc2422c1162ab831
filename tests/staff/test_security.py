import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "example.se",
        "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3",
    }
    # The browser tests' conftest sets this for the test process; production never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def _pages(traffic, tranas_period):
    event = factories.event(traffic, tranas_period.starts_on, summary="Kontroll")
    return [
        reverse("staff:dashboard"),
        reverse("staff:activity_detail", args=[traffic.pk]),
        reverse("staff:event_detail", args=[event.pk]),
        reverse("staff:event_edit", args=[event.pk]),
        reverse("staff:import_upload"),
        reverse("promises:period_list"),
        reverse("promises:period_detail", args=[tranas_period.pk]),
    ]


def test_staff_pages_send_a_strict_content_security_policy(client, police_reporter, traffic):
    client.force_login(police_reporter)

    response = client.get(reverse("staff:dashboard"))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_staff_pages_have_no_inline_script_or_style(
    client, police_reporter, traffic, tranas_period
):
    client.force_login(police_reporter)
    pages = _pages(traffic, tranas_period) + [reverse("site:password_change")]

    inline = {}
    for url in pages:
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        styles = re.findall(r"<style|\sstyle=", html)
        inline[url] = scripts + styles

    assert inline == {url: [] for url in pages}


def test_htmx_is_configured_to_inject_no_style_and_evaluate_nothing(client, police_reporter):
    client.force_login(police_reporter)

    html = client.get(reverse("staff:dashboard")).content.decode()

    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html
    assert 'data-hx-headers=\'{"X-CSRFToken": "' in html


def test_login_is_locked_after_five_failures_even_with_the_right_password(client, police_reporter):
    police_reporter.set_password("rätt-lösenord-1")
    police_reporter.save()
    url = reverse("site:login")
    for _ in range(5):
        client.post(url, {"username": "polis", "password": "fel"})

    response = client.post(url, {"username": "polis", "password": "rätt-lösenord-1"})

    assert response.status_code == 429
    assert "Inloggningen är tillfälligt spärrad" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_after_four_failures_still_works(client, police_reporter):
    police_reporter.set_password("rätt-lösenord-1")
    police_reporter.save()
    url = reverse("site:login")
    for _ in range(4):
        client.post(url, {"username": "polis", "password": "fel"})

    response = client.post(url, {"username": "polis", "password": "rätt-lösenord-1"})

    assert response.url == reverse("staff:dashboard")
