"""Test configuration shared by the whole suite."""

import pytest
from django.conf import settings

from municipalities.models import Role
from tests import factories


def pytest_configure(config):
    # The default PBKDF2 hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
