"""Who may be recorded as having done an activity (DESIGN §7), one rule from every entry point.

A joint activity of the police and Tranås kommun, in a period where a housing company is a
partner but not responsible. A reporter records its own organisation; the kommun's editor any
responsible organisation; a superuser any responsible organisation; nobody the partner. The log
form offers exactly what the service accepts, and the CSV import accepts exactly that too.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from followup import services
from municipalities.models import Membership, Role
from tests import factories

pytestmark = pytest.mark.django_db

# persona → the organisations it may record as the doer of the joint activity
EXPECTED = {
    "police_reporter": {"police"},
    "kommun_reporter": {"kommun"},
    "coordinator": {"police", "kommun"},
    "superuser": {"police", "kommun"},
}


@pytest.fixture
def parties(tranas_period):
    housing = factories.partner_organisation(name="Stiftelsen Tranåshem", code="0687")
    tranas_period.partners.add(housing)
    return {
        "police": factories.police_organisation(),
        "kommun": factories.municipal_organisation("0687"),
        "housing": housing,
    }


@pytest.fixture
def joint(tranas_period, parties):
    return factories.activity(
        tranas_period, organisations=[parties["police"], parties["kommun"]], target_quantity=5
    )


def _persona(request, name):
    if name == "kommun_reporter":
        return factories.member(factories.municipal_organisation("0687"), Role.REPORTER)
    if name == "superuser":
        return factories.superuser()
    return request.getfixturevalue(name)


def _names(parties, organisations):
    by_pk = {organisation.pk: key for key, organisation in parties.items()}
    return {by_pk[organisation.pk] for organisation in organisations}


@pytest.mark.parametrize("persona", EXPECTED)
def test_recordable_log_form_offers_the_organisations_of_the_rule(
    client, request, parties, joint, persona
):
    client.force_login(_persona(request, persona))

    form = client.get(reverse("staff:activity_detail", args=[joint.pk])).context["form"]

    if "organisation" in form.fields:
        offered = {int(pk) for pk, _label in form.fields["organisation"].choices}
    else:
        offered = {form.chosen_organisation().pk}
    assert _names(parties, [o for o in parties.values() if o.pk in offered]) == EXPECTED[persona]


@pytest.mark.parametrize("persona", EXPECTED)
def test_recordable_service_accepts_the_organisations_of_the_rule(request, parties, joint, persona):
    user = _persona(request, persona)

    accepted = set()
    for name, organisation in parties.items():
        try:
            services.log_event(
                joint, by=user, occurred_on=timezone.localdate(), organisation=organisation
            )
        except ValidationError as error:
            assert list(error.message_dict) == ["organisation"]
        else:
            accepted.add(name)

    assert accepted == EXPECTED[persona]


@pytest.mark.parametrize("persona", EXPECTED)
def test_recordable_import_accepts_the_organisations_of_the_rule(
    client, request, parties, joint, persona
):
    client.force_login(_persona(request, persona))
    today = timezone.localdate().isoformat()
    lines = [f"{joint.pk};{today};1;{organisation.slug}" for organisation in parties.values()]
    content = "aktivitet_id;datum;antal;organisation\r\n" + "\r\n".join(lines) + "\r\n"

    response = client.post(
        reverse("staff:import_upload"),
        {"file": SimpleUploadedFile("h.csv", content.encode(), content_type="text/csv")},
    )

    rows = response.context["rows"]
    accepted = {name for name, row in zip(parties, rows, strict=True) if not row.errors}
    assert accepted == EXPECTED[persona]


def test_recordable_correction_changes_only_to_an_organisation_of_the_rule(
    police_reporter, parties, joint
):
    event = factories.event(joint, timezone.localdate(), organisation=parties["kommun"])

    with pytest.raises(ValidationError) as error:
        services.correct_event(
            event, by=police_reporter, reason="Fel part.", organisation=parties["housing"]
        )
    corrected = services.correct_event(
        event, by=police_reporter, reason="Fel part.", organisation=parties["police"]
    )

    assert list(error.value.message_dict) == ["organisation"]
    assert corrected.organisation == parties["police"]


def test_recordable_service_refuses_a_reporter_whose_organisation_does_not_cover_the_kommun(
    tranas_period,
):
    # A Tranemo housing company made responsible for a Tranås activity: its reporter, who may
    # also read Tranås' pages, still does not log there (DESIGN §7: "in every kommun the
    # organisation covers").
    housing = factories.partner_organisation(name="Tranemobostäder", code="1452")
    activity = factories.activity(tranas_period, organisations=[housing])
    user = factories.member(housing, Role.REPORTER)
    Membership.objects.create(
        user=user, organisation=factories.municipal_organisation("0687"), role=Role.VIEWER
    )

    with pytest.raises(ValidationError) as error:
        services.log_event(
            activity, by=user, occurred_on=timezone.localdate(), organisation=housing
        )

    assert list(error.value.message_dict) == ["organisation"]
