from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from municipalities.invitations import services
from municipalities.models import Invitation, Membership, Role
from tests import factories
from tests.mailbox import drain_tasks, mailbox_fixture, parts  # noqa: F401

pytestmark = pytest.mark.django_db


def _invite(client, coordinator, capture, **data):
    client.force_login(coordinator)
    fields = {
        "email": "ny.rapportor@tranas.se",
        "organisation": factories.municipal_organisation("0687").pk,
        "role": Role.REPORTER,
    }
    with capture(execute=True):
        response = client.post(reverse("invitations:list"), {**fields, **data})
    drain_tasks()
    return response


def test_invitation_mail_arrives_with_headers_and_both_parts(
    client, coordinator, mailbox, django_capture_on_commit_callbacks
):
    response = _invite(client, coordinator, django_capture_on_commit_callbacks)

    invitation = Invitation.objects.get()
    [message] = mailbox.wait_for(1)
    text, html = parts(message)
    accept_path = reverse("invitations:accept", args=[invitation.token])
    assert response.url == reverse("invitations:list")
    assert message["To"] == "ny.rapportor@tranas.se"
    assert message["From"] == "Medborgarlöften <noreply@medborgarloften.example>"
    assert message["Reply-To"] == "kontakt@medborgarloften.example"
    assert message["Message-ID"].endswith("@medborgarloften.example>")
    assert message["Date"]
    assert message["Subject"] == "Inbjudan till Tranås kommun i medborgarlöftesportalen"
    assert f"https://medborgarloften.example{accept_path}" in text
    assert "rollen Rapportör" in text
    assert f'href="https://medborgarloften.example{accept_path}"' in html
    assert '<html lang="sv">' in html


def test_invitation_accept_creates_the_user_and_membership(client, coordinator):
    invitation = services.invite(
        by=coordinator,
        email="Ny.Rapportor@tranas.se",
        organisation=factories.municipal_organisation("0687"),
        role=Role.REPORTER,
    )

    response = client.post(
        reverse("invitations:accept", args=[invitation.token]),
        {"password1": "trygghetsvandring-42", "password2": "trygghetsvandring-42"},
    )

    user = get_user_model().objects.get(email="ny.rapportor@tranas.se")
    assert response.url == reverse("staff:dashboard")
    assert user.check_password("trygghetsvandring-42")
    assert Membership.objects.get(user=user).role == Role.REPORTER
    assert client.get(reverse("staff:dashboard")).status_code == 200
    assert client.get(reverse("invitations:accept", args=[invitation.token])).status_code == 404


def test_invitation_accept_for_an_existing_user_sets_the_password_and_adds_membership(
    client, coordinator
):
    existing = factories.user("befintlig", email="befintlig@tranas.se")
    invitation = services.invite(
        by=coordinator,
        email="befintlig@tranas.se",
        organisation=factories.municipal_organisation("0687"),
        role=Role.VIEWER,
    )

    client.post(
        reverse("invitations:accept", args=[invitation.token]),
        {"password1": "trygghetsvandring-42", "password2": "trygghetsvandring-42"},
    )

    existing.refresh_from_db()
    assert existing.check_password("trygghetsvandring-42")
    assert list(existing.memberships.values_list("role", flat=True)) == [Role.VIEWER]


def test_invitation_accept_with_weak_password_says_so_and_creates_nothing(client, coordinator):
    invitation = services.invite(
        by=coordinator,
        email="ny@tranas.se",
        organisation=factories.municipal_organisation("0687"),
        role=Role.REPORTER,
    )

    response = client.post(
        reverse("invitations:accept", args=[invitation.token]),
        {"password1": "12345678", "password2": "12345678"},
    )

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not get_user_model().objects.filter(email="ny@tranas.se").exists()


def test_invitation_link_expires_after_seven_days(client, coordinator):
    sent = timezone.now() - timedelta(days=7, minutes=1)
    invitation = services.invite(
        by=coordinator,
        email="sen@tranas.se",
        organisation=factories.municipal_organisation("0687"),
        role=Role.REPORTER,
        now=sent,
    )

    response = client.get(reverse("invitations:accept", args=[invitation.token]))

    assert response.status_code == 404
    assert "Inbjudan gäller inte" in response.content.decode()


def test_invitation_revoked_link_no_longer_works(client, coordinator):
    invitation = services.invite(
        by=coordinator,
        email="ny@tranas.se",
        organisation=factories.municipal_organisation("0687"),
        role=Role.REPORTER,
    )
    client.force_login(coordinator)

    client.post(reverse("invitations:revoke", args=[invitation.pk]))
    client.logout()
    response = client.post(
        reverse("invitations:accept", args=[invitation.token]),
        {"password1": "trygghetsvandring-42", "password2": "trygghetsvandring-42"},
    )

    assert response.status_code == 404
    assert not get_user_model().objects.filter(email="ny@tranas.se").exists()


def test_invitation_revoked_before_sending_sends_nothing(
    coordinator, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(
            by=coordinator,
            email="ny@tranas.se",
            organisation=factories.municipal_organisation("0687"),
            role=Role.REPORTER,
        )
    services.revoke_invitation(invitation, by=coordinator)

    drain_tasks()

    assert mailbox.wait_for(1, timeout=0.3) == []


def test_invitation_to_a_partner_of_the_editors_kommun_is_allowed(client, coordinator):
    partner = factories.partner_organisation("Tranåsbostäder", code="0687")

    services.invite(
        by=coordinator, email="p@tranasbostader.se", organisation=partner, role="reporter"
    )

    assert Invitation.objects.get().organisation == partner


def test_invitation_to_another_kommuns_organisation_is_refused(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("invitations:list"),
        {
            "email": "x@tyreso.se",
            "organisation": factories.municipal_organisation("0138").pk,
            "role": Role.EDITOR,
        },
    )

    assert response.status_code == 200
    assert "Välj en organisation i listan." in response.content.decode()
    assert not Invitation.objects.exists()


def test_invitation_page_is_forbidden_to_a_reporter(client, police_reporter):
    client.force_login(police_reporter)

    response = client.get(reverse("invitations:list"))

    assert response.status_code == 403


def test_invitation_list_shows_only_pending_invitations(client, coordinator):
    organisation = factories.municipal_organisation("0687")
    services.invite(
        by=coordinator, email="vantar@tranas.se", organisation=organisation, role="reporter"
    )
    revoked = services.invite(
        by=coordinator, email="aterkallad@tranas.se", organisation=organisation, role="reporter"
    )
    services.revoke_invitation(revoked, by=coordinator)
    client.force_login(coordinator)

    content = client.get(reverse("invitations:list")).content.decode()

    assert "vantar@tranas.se" in content
    assert "aterkallad@tranas.se" not in content


def test_membership_end_removes_access_and_keeps_history(client, coordinator):
    colleague = factories.member(factories.municipal_organisation("0687"), Role.REPORTER, "kollega")
    membership = colleague.memberships.get()
    client.force_login(coordinator)

    client.post(reverse("invitations:membership_end", args=[membership.pk]), {"reason": "Slutat"})

    record = Membership.history.filter(id=membership.pk).latest("history_date")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert record.history_type == "-"
    assert record.history_user == coordinator
    assert record.history_change_reason == "Slutat"


def test_membership_end_of_another_kommuns_member_is_404(client, coordinator, outsider):
    client.force_login(coordinator)

    response = client.post(
        reverse("invitations:membership_end", args=[outsider.memberships.get().pk])
    )

    assert response.status_code == 404
    assert outsider.memberships.exists()


def test_invitation_expiry_job_deletes_unanswered_expired_invitations(coordinator):
    organisation = factories.municipal_organisation("0687")
    old = timezone.now() - timedelta(days=8)
    services.invite(
        by=coordinator,
        email="gammal@tranas.se",
        organisation=organisation,
        role="reporter",
        now=old,
    )
    services.invite(
        by=coordinator, email="ny@tranas.se", organisation=organisation, role="reporter"
    )

    deleted = services.expire_invitations(now=timezone.now())

    assert deleted == 1
    assert list(Invitation.objects.values_list("email", flat=True)) == ["ny@tranas.se"]


def test_development_console_prints_the_invitation_link_unencoded(coordinator, settings):
    import io

    from municipalities.invitations.tasks import send_invitation

    stream = io.StringIO()
    settings.MAILERS = {
        "default": {
            "BACKEND": "municipalities.site.mail.ReadableConsoleBackend",
            "OPTIONS": {"stream": stream},
        }
    }
    invitation = services.invite(
        by=coordinator,
        email="ny@tranas.se",
        organisation=factories.municipal_organisation("0687"),
        role=Role.REPORTER,
    )

    send_invitation.call(invitation.pk)

    printed = stream.getvalue()
    assert "Subject: Inbjudan till Tranås kommun i medborgarlöftesportalen" in printed
    assert reverse("invitations:accept", args=[invitation.token]) + "\n" in printed
