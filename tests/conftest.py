"""Test configuration shared by the whole suite."""

import tempfile

import pytest
from django.conf import settings

from municipalities.models import Role
from tests import factories


def pytest_configure(config):
    # The default PBKDF2 hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Adopting a period and the first download of its document store a PDF (issue 12): files
    # of tests that do not choose a folder themselves go to a temporary one, not to media/.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="test-media-")


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reload the reference data that migrations put in, when a transactional test flushed it.

    Tests with ``transaction=True`` (live server, concurrency, migrations) end by emptying every
    table. pytest-django runs them after all other database tests, so reloading the kommuner,
    police areas and themes before each transactional test is enough.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    if transactional or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        _ensure_reference_data()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Public pages cache their output by data version; the version goes back when a test's
    transaction is rolled back, so no test may see a page cached by another (nor a card,
    settings.CACHES["cards"])."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


IMMEDIATE_TASKS = "django.tasks.backends.immediate.ImmediateBackend"


@pytest.fixture(autouse=True)
def _build_dir(settings, tmp_path_factory):
    """Files built from the data (open-data downloads) go to a folder of the test's own: the
    data versions they are keyed on start over with every rolled-back test. The per-client
    limit on downloads is lifted, as for a test that walks every URL; tests of the limit set it.
    Their builds run at once where the worker would run them (an immediate task backend), so a
    first download is answered with its file; tests of the worker's queue set "default"."""
    settings.BUILD_DIR = tmp_path_factory.mktemp("built")
    settings.TASKS = {**settings.TASKS, "downloads": {"BACKEND": IMMEDIATE_TASKS}}
    settings.DOWNLOADS_TASK_BACKEND = "downloads"
    settings.EXPENSIVE_RATE_LIMIT = "10000/m"


def _ensure_reference_data():
    from django.apps import apps

    from municipalities.models import Municipality
    from municipalities.reference import load_reference_data
    from promises.models import Theme
    from promises.reference import load_themes

    if not Municipality.objects.exists():
        models = apps.get_app_config("municipalities")
        load_reference_data({model.__name__: model for model in models.get_models()})
    if not Theme.objects.exists():
        load_themes(Theme)


# --- Personas (STYLE.md): fixed users covering every access level ------------------------------


@pytest.fixture
def police_reporter(db):
    """A kommunpolis: reporter of LPO Höglandet (covers Aneby, Tranås, Eksjö, …)."""
    return factories.member(factories.police_organisation("Höglandet"), Role.REPORTER, "polis")


@pytest.fixture
def coordinator(db):
    """The trygghetssamordnare: editor of Tranås kommun."""
    return factories.member(factories.municipal_organisation("0687"), Role.EDITOR, "samordnare")


@pytest.fixture
def partner_reporter(db):
    """A housing company in Tranemo, reporter."""
    return factories.member(factories.partner_organisation(), Role.REPORTER, "partner")


@pytest.fixture
def viewer(db):
    """Reads Tranås kommun's staff pages, changes nothing."""
    return factories.member(factories.municipal_organisation("0687"), Role.VIEWER, "lasare")


@pytest.fixture
def outsider(db):
    """An editor from another kommun (Tyresö), who must see nothing of Tranås."""
    return factories.member(factories.municipal_organisation("0138"), Role.EDITOR, "utomstaende")
