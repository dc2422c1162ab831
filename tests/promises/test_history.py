"""Issue 12, item 4: everything public or printed keeps its history with the acting user."""

from datetime import date

import pytest

from followup.models import ReportKind
from followup.reports.services import create_report, update_report
from municipalities import services as reference_services
from municipalities.models import Membership, Role
from promises import services
from promises.models import Theme
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return factories.member(factories.municipal_organisation("0687"), Role.EDITOR)


def test_signatory_changes_and_deletion_are_kept_with_the_user(editor):
    period = factories.period()
    signatory = services.save_signatory(
        period,
        by=editor,
        position=1,
        name="Beata Allen",
        title="Kommunstyrelsens ordförande",
        organisation=factories.municipal_organisation(),
    )

    pk = signatory.pk

    services.save_signatory(period, by=editor, signatory=signatory, name="Anna Svensson")
    services.delete_signatory(signatory, by=editor)

    history = signatory.history.model.objects.filter(id=pk).order_by("history_id")
    assert [(h.history_type, h.name, h.history_user) for h in history] == [
        ("+", "Beata Allen", editor),
        ("~", "Anna Svensson", editor),
        ("-", "Anna Svensson", editor),
    ]


def test_situation_source_history_names_the_user(editor):
    period = factories.period()

    source = services.save_source(period, by=editor, kind="trygghetsmatning", description="2022")
    pk = source.pk
    services.delete_source(source, by=editor)

    history = source.history.model.objects.filter(id=pk)
    assert sorted(h.history_type for h in history) == ["+", "-"]
    assert {h.history_user for h in history} == {editor}


def test_partner_changes_of_a_period_are_kept(editor):
    period = factories.period()
    partner = factories.partner_organisation("Tranåsbostäder", code="0687")

    services.update_period(period, by=editor, partners=[partner])

    latest = period.history.first()
    assert [p.organisation for p in latest.partners.all()] == [partner]
    assert latest.history_user == editor


def test_membership_given_and_ended_keeps_who_did_it():
    admin = factories.superuser()
    person = factories.user()
    membership = Membership(
        user=person, organisation=factories.police_organisation(), role=Role.REPORTER
    )

    reference_services.save_membership(membership, by=admin)
    reference_services.delete_memberships([membership], by=admin)

    history = Membership.history.filter(user=person).order_by("history_id")
    assert [(h.history_type, h.role, h.history_user) for h in history] == [
        ("+", Role.REPORTER, admin),
        ("-", Role.REPORTER, admin),
    ]


def test_theme_changes_are_kept_with_the_admin():
    admin = factories.superuser()
    theme = Theme.objects.get(slug="trygghet-i-offentlig-miljo")

    theme.name = "Trygghet i offentliga miljöer"
    reference_services.save_reference_object(theme, by=admin)

    latest = theme.history.first()
    assert (latest.name, latest.history_user) == ("Trygghet i offentliga miljöer", admin)


def test_report_comment_changes_are_kept_with_the_user(editor):
    period = factories.period(starts_on=date(2023, 1, 1), ends_on=date(2024, 12, 31))
    report = create_report(period, by=editor, kind=ReportKind.YEAR, year=2023, comment="Först.")

    update_report(report, by=editor, comment="Sedan.")

    history = report.history.order_by("history_id")
    assert [(h.comment, h.history_user) for h in history] == [
        ("Först.", editor),
        ("Sedan.", editor),
    ]
