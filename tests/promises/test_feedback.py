from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from municipalities.models import MailPreference, Role
from promises.feedback import services
from promises.models import Feedback, PeriodStatus, SourceKind, Theme
from tests import factories
from tests.mailbox import drain_tasks, mailbox_fixture, parts  # noqa: F401

pytestmark = pytest.mark.django_db

FORM = "/kommuner/tranas/tyck-till/"


def _editor(username="samordnare", code="0687", email="samordnare@tranas.se"):
    account = factories.member(factories.municipal_organisation(code), Role.EDITOR, username)
    account.email = email
    account.save()
    return account


def test_feedback_reaches_the_kommuns_editors_by_mail_with_reply_to_the_citizen(
    client, mailbox, django_capture_on_commit_callbacks
):
    _editor()
    _editor("tyreso", "0138", "samordnare@tyreso.se")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            FORM,
            {
                "text": "Mörkt och otryggt vid busstationen på kvällarna.",
                "place": "Busstationen",
                "email": "invanare@example.se",
                "website": "",
            },
        )
    drain_tasks()

    [message] = mailbox.wait_for(1)
    text, html = parts(message)
    assert response.url == "/kommuner/tranas/tyck-till/tack/"
    assert message["To"] == "samordnare@tranas.se"
    assert message["Reply-To"] == "invanare@example.se"
    assert message["Subject"] == "Tyck till: ny synpunkt om tryggheten i Tranås"
    assert "Mörkt och otryggt vid busstationen" in text
    assert "Busstationen" in html


def test_feedback_without_address_replies_to_the_portal(mailbox):
    _editor()

    from promises.feedback.tasks import notify_editors

    feedback = services.submit_feedback(
        by=None, municipality=factories.municipality(), text="Cyklister på trottoaren."
    )
    notify_editors.call(feedback.pk)

    [message] = mailbox.wait_for(1)
    assert message["Reply-To"] == "kontakt@medborgarloften.example"


def test_feedback_mail_can_be_switched_off(mailbox):
    editor = _editor()
    MailPreference.objects.create(user=editor, feedback_mail=False)
    from promises.feedback.tasks import notify_editors

    feedback = services.submit_feedback(
        by=None, municipality=factories.municipality(), text="Cyklister på trottoaren."
    )

    assert notify_editors.call(feedback.pk) == 0
    assert mailbox.wait_for(1, timeout=0.3) == []


def test_feedback_without_text_says_so_and_stores_nothing(client):
    response = client.post(FORM, {"text": "", "place": "Torget"})

    assert response.status_code == 200
    assert "Skriv vad du vill berätta." in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_honeypot_stores_nothing(client):
    response = client.post(FORM, {"text": "Köp billiga klockor", "website": "http://spam"})

    assert response.status_code == 302
    assert not Feedback.objects.exists()


def test_feedback_is_never_public(client):
    services.submit_feedback(
        by=None, municipality=factories.municipality(), text="HEMLIG-SYNPUNKT om torget"
    )

    pages = [
        client.get(reverse("public:municipality_detail", args=["tranas"])),
        client.get("/kommuner/tranas/tyck-till/"),
        client.get("/kommuner/tranas/tyck-till/tack/"),
    ]

    assert all("HEMLIG-SYNPUNKT" not in page.content.decode() for page in pages)


def test_feedback_inbox_shows_only_the_editors_kommun(client):
    editor = _editor()
    services.submit_feedback(by=None, municipality=factories.municipality(), text="Om Tranås torg")
    services.submit_feedback(
        by=None, municipality=factories.municipality("0138"), text="Om Tyresö centrum"
    )
    client.force_login(editor)

    content = client.get(reverse("feedback:inbox")).content.decode()

    assert "Om Tranås torg" in content
    assert "Om Tyresö centrum" not in content


def test_feedback_inbox_is_forbidden_to_a_reporter(client, police_reporter):
    client.force_login(police_reporter)

    assert client.get(reverse("feedback:inbox")).status_code == 403


def test_feedback_attached_to_a_draft_becomes_a_source_with_a_count_per_theme(client):
    editor = _editor()
    kommun = factories.municipality()
    traffic = Theme.objects.get(slug="trafik")
    for text in ("Fortkörning på Storgatan", "Fortkörning vid skolan"):
        services.submit_feedback(by=None, municipality=kommun, text=text, theme=traffic)
    services.submit_feedback(by=None, municipality=kommun, text="Otryggt i parken")
    draft = factories.period("0687", status=PeriodStatus.DRAFT, is_published=False, slug="nasta")
    client.force_login(editor)

    response = client.post(reverse("feedback:attach"), {"period": draft.pk})

    source = draft.sources.get()
    assert response.url == reverse("feedback:inbox")
    assert source.kind == SourceKind.CITIZEN_DIALOGUE_WEB
    assert source.get_kind_display() == "Medborgardialog (webb)"
    assert "3 synpunkter (Trafik 2, Övrigt 1)" in source.description
    assert Feedback.objects.filter(source=source).count() == 3


def test_feedback_cannot_be_attached_to_an_adopted_period():
    editor = _editor()
    services.submit_feedback(by=None, municipality=factories.municipality(), text="Otryggt")
    adopted = factories.period("0687", status=PeriodStatus.ACTIVE)

    with pytest.raises(Exception, match="låst"):
        services.attach_feedback_to_period(adopted, by=editor)

    assert not adopted.sources.exists()


def test_feedback_older_than_a_year_is_deleted():
    kommun = factories.municipality()
    old = services.submit_feedback(by=None, municipality=kommun, text="Gammal")
    Feedback.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=366))
    services.submit_feedback(by=None, municipality=kommun, text="Ny")

    deleted = services.delete_old_feedback(now=timezone.now())

    assert deleted == 1
    assert list(Feedback.objects.values_list("text", flat=True)) == ["Ny"]


def test_about_page_gives_the_contact_address(client, settings):
    settings.CONTACT_EMAIL = "tillganglighet@medborgarloften.example"

    content = client.get(reverse("public:about")).content.decode()

    assert 'href="mailto:tillganglighet@medborgarloften.example"' in content
