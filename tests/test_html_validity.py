"""Every public and staff page type is valid HTML: the Nu HTML Checker (vnu, the W3C validator)
finds no error.

The pages are rendered with Django's test client: the public page types of tests/pages.py in
Swedish and English (plus the public forms and the staff sign-in pages), and every staff page
type each demo persona reaches by following links from the dashboard. They are written to a
temporary folder and checked by one run of ``vnu.jar`` (one JVM start for all files).

vnu.jar comes from the npm package ``vnu-jar`` pinned in tests/browser/package-lock.json;
``make test`` installs it (.ci/system-deps runs ``npm ci``), so a missing validator or Java is
a failure here, not a skip.
"""

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import resolve, reverse
from django.utils import translation

from tests.pages import (
    SIGN_IN_PAGES,
    STAFF_PERSONAS,
    arrange_public,
    correction_paths,
    crawl_staff,
    editor_paths,
    in_both_languages,
    more_public_page_paths,
    public_page_paths,
    staff_links,
)

pytestmark = [pytest.mark.django_db, pytest.mark.once]

VNU = Path(__file__).parent / "browser" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")


class _Links(HTMLParser):
    """The href of every <a> of a page."""

    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and (href := dict(attrs).get("href")):
            self.hrefs.append(href)


def _is_html(response) -> bool:
    return response["Content-Type"].startswith("text/html")


def _public_pages() -> dict[str, bytes]:
    """Every public HTML page type, both languages, as name → rendered bytes."""
    period, activity = arrange_public()
    paths = in_both_languages({**public_page_paths(period, activity), **more_public_page_paths()})
    paths.update(SIGN_IN_PAGES)
    client, pages = Client(), {}
    for name, path in paths.items():
        response = client.get(path)
        assert response.status_code in (200, 404), f"{name} {path}: {response.status_code}"
        assert _is_html(response), f"{name} {path}: {response['Content-Type']}"
        pages[name] = response.content
    return pages


def _staff_pages(username) -> dict[str, bytes]:
    """Every staff HTML page type the persona reaches from the dashboard (name → bytes)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    pages = {}

    def fetch(path):
        response = client.get(path)
        if response.status_code != 200 or not _is_html(response):
            return response.status_code, []
        pages[f"staff-{username}-{path}"] = response.content
        parser = _Links()
        parser.feed(response.content.decode())
        return 200, staff_links(parser.hrefs)

    crawl_staff(fetch, start=[*correction_paths(username), *editor_paths(username)])
    return pages


# Forms sent with bad input re-render with their errors next to the fields: a page state of its
# own. (Staff URL pattern or public path, a field with a bad value.)
BAD_INPUT = {"quantity": "-1", "reason": "", "email": "inte-en-adress", "text": ""}
STAFF_FORMS_WITH_ERRORS = {
    "staff:event_edit",
    "staff:event_retract",
    "staff:deviation_create",
    "promises:period_edit",
    "promises:promise_edit",
    "promises:activity_edit",
    "promises:signatory_edit",
    "promises:source_edit",
    "memos:edit",
}


def _public_error_pages() -> dict[str, bytes]:
    """The public forms and the sign-in page after bad input, both languages (name → bytes)."""
    paths = in_both_languages(
        {name: path for name, path in more_public_page_paths().items() if name in FORMS}
    )
    paths["logga-in"] = SIGN_IN_PAGES["logga-in"]
    client, pages = Client(), {}
    for name, path in paths.items():
        response = client.post(path, {**BAD_INPUT, "username": "ingen", "password": "fel"})
        assert response.status_code == 200, f"{name} {path} with bad input"
        pages[f"{name}-fel"] = response.content
    return pages


FORMS = ("prenumerera", "tyck-till")


def _staff_error_pages(username, staff_pages) -> dict[str, bytes]:
    """The persona's staff forms (events, deviations, periods, memos) after bad input."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    pages = {}
    for name in staff_pages:
        path = name.removeprefix(f"staff-{username}-")
        if resolve(path.split("?")[0]).view_name in STAFF_FORMS_WITH_ERRORS:
            response = client.post(path, BAD_INPUT)
            assert response.status_code == 200, f"{username} {path} with bad input"
            pages[f"{name}-fel"] = response.content
    return pages


def _error_pages() -> dict[str, bytes]:
    """The error pages the views render without a request: 500, 503, 429, in both languages."""
    pages = {}
    for language in ("sv", "en"):
        with translation.override(language):
            for name in ("500", "503", "429"):
                html = render_to_string(f"{name}.html", {"retry_after": 30})
                pages[f"{name}-{language}"] = html.encode()
    return pages


def _forbidden_page() -> dict[str, bytes]:
    """The 403 page a signed-in viewer gets for a page only writers may use."""
    client = Client()
    client.force_login(get_user_model().objects.get(username="lasare.tranas"))
    response = client.get(reverse("staff:import_upload"))
    assert response.status_code == 403
    return {"403": response.content}


def _write(pages: dict[str, bytes], folder: Path) -> dict[str, str]:
    """The pages as numbered .html files; answers file name → page name."""
    names = {}
    for number, (name, content) in enumerate(pages.items()):
        file = folder / f"{number:03d}.html"
        file.write_bytes(content)
        names[file.name] = name
    return names


def _page_name(names: dict[str, str], error: dict) -> str:
    """The page an error is about; vnu's own errors (an unreadable file) name no page."""
    url = error.get("url", "")
    return names.get(Path(url).name, url or error.get("type", "vnu"))


def require_validator():
    """Fail at once, saying how to install it, when vnu.jar or Java is missing."""
    if not VNU.exists() or JAVA is None:
        pytest.fail(
            "The HTML validator needs vnu.jar and Java 11 or newer: make test installs vnu-jar "
            "(.ci/system-deps runs `npm ci --ignore-scripts` in tests/browser; or run that there "
            "by hand) and Java comes from Debian (apt-get install default-jre-headless). "
            f"vnu.jar {'found' if VNU.exists() else 'missing'} at {VNU}; java {JAVA or 'missing'}."
        )


def vnu_errors(folder: Path) -> list[dict]:
    """vnu's errors for every .html file in the folder, from its JSON report (one JVM run)."""
    completed = subprocess.run(
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always"]
        + [str(file) for file in sorted(folder.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(completed.stderr)["messages"]


def test_every_public_and_staff_page_type_is_valid_html(tmp_path):
    require_validator()
    pages = {**_public_pages(), **_public_error_pages(), **_error_pages()}
    call_command("load_demo", verbosity=0)
    pages.update(_forbidden_page())
    for username in STAFF_PERSONAS:
        staff = _staff_pages(username)
        pages.update(staff)
        pages.update(_staff_error_pages(username, staff))
    names = _write(pages, tmp_path)

    errors = vnu_errors(tmp_path)

    found = [
        f"{_page_name(names, error)} line {error.get('lastLine', '?')}: {error['message']}"
        for error in errors
    ]
    assert found == [], f"{len(found)} HTML errors:\n" + "\n".join(found)
    # The crawl reached the staff area, not just the dashboard, and both languages were checked.
    staff = [name for name in pages if name.startswith("staff-samordnare.tranas-")]
    assert len(staff) >= 15
    assert "period-en" in pages
    assert sum(name.endswith("-fel") for name in pages) >= 15
