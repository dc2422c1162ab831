"""Writes of shared reference data and memberships renew the reference version, which every
public page is keyed on."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import ProtectedError

from municipalities import services, versioning
from municipalities.models import DataVersion, Membership, Municipality, Organisation, Role
from promises.models import Theme
from tests import factories

pytestmark = pytest.mark.django_db


def _counters():
    return dict(DataVersion.objects.values_list("scope", "counter"))


def _moved(before):
    after = _counters()
    return sorted(scope for scope, counter in after.items() if counter != before.get(scope, 0))


@pytest.fixture
def admin():
    return factories.superuser()


def test_save_reference_object_saves_and_renews_the_reference_version(admin):
    organisation = factories.municipal_organisation("0604")
    aneby = versioning.current("aneby")
    before = _counters()

    organisation.name = "Anebys nya förvaltning"
    services.save_reference_object(organisation, by=admin)

    assert Organisation.objects.get(pk=organisation.pk).name == "Anebys nya förvaltning"
    assert _moved(before) == ["reference"]
    assert versioning.current("aneby") != aneby


def test_save_reference_object_takes_a_theme_of_promises(admin):
    theme = Theme.objects.get(slug="trafik")
    before = _counters()

    theme.description = "Trafiksäkerhet och trafikkontroller."
    services.save_reference_object(theme, by=admin)

    assert Theme.objects.get(pk=theme.pk).description == "Trafiksäkerhet och trafikkontroller."
    assert _moved(before) == ["reference"]


def test_delete_reference_objects_deletes_and_renews_the_reference_version(admin):
    partner = factories.partner_organisation()
    before = _counters()

    services.delete_reference_objects(Organisation.objects.filter(pk=partner.pk), by=admin)

    assert not Organisation.objects.filter(pk=partner.pk).exists()
    assert _moved(before) == ["reference"]


def test_delete_reference_objects_refused_by_a_protected_row_writes_nothing(admin):
    police = factories.police_organisation()
    period = factories.period()
    factories.event(factories.activity(period, organisations=[police]), period.starts_on)
    partner = factories.partner_organisation()
    pks = [partner.pk, police.pk]
    before = _counters()

    with pytest.raises(ProtectedError):
        services.delete_reference_objects([partner, police], by=admin)

    assert Organisation.objects.filter(pk__in=pks).count() == 2
    assert _moved(before) == []


def test_save_membership_saves_and_renews_the_reference_version(admin):
    account = factories.user()
    before = _counters()

    services.save_membership(
        Membership(user=account, organisation=factories.municipal_organisation(), role=Role.EDITOR),
        by=admin,
    )

    assert Membership.objects.get(user=account).role == Role.EDITOR
    assert _moved(before) == ["reference"]


def test_delete_memberships_deletes_and_renews_the_reference_version(admin):
    account = factories.member(factories.municipal_organisation(), Role.VIEWER)
    before = _counters()

    services.delete_memberships(Membership.objects.filter(user=account), by=admin)

    assert not Membership.objects.filter(user=account).exists()
    assert _moved(before) == ["reference"]


def test_load_reference_command_renews_the_reference_version_and_changes_no_kommun():
    count = Municipality.objects.count()
    before = _counters()

    call_command("load_reference", stdout=StringIO())

    assert Municipality.objects.count() == count == 290
    assert _moved(before) == ["reference"]
