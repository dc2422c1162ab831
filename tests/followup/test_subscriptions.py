from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from followup.models import Subscription
from followup.subscriptions import services
from followup.subscriptions.tasks import send_subscriber_digests
from tests import factories
from tests.mailbox import drain_tasks, mailbox_fixture, parts  # noqa: F401

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/kommuner/tranas/prenumerera/"


def _subscribe(client, capture, email="invanare@example.se", path=SUBSCRIBE, **extra):
    with capture(execute=True):
        response = client.post(path, {"email": email, "website": "", **extra})
    drain_tasks()
    return response


def test_subscription_confirmation_mail_has_headers_and_a_working_link(
    client, mailbox, django_capture_on_commit_callbacks
):
    response = _subscribe(client, django_capture_on_commit_callbacks)

    subscription = Subscription.objects.get()
    [message] = mailbox.wait_for(1)
    text, html = parts(message)
    confirm_path = reverse("subscriptions:confirm", args=[subscription.token])
    assert response.url == "/kommuner/tranas/prenumerera/kolla-din-e-post/"
    assert subscription.confirmed_at is None
    assert message["To"] == "invanare@example.se"
    assert message["Subject"] == "Bekräfta att du vill följa Tranås"
    assert message["Reply-To"] == "kontakt@medborgarloften.example"
    assert message["Message-ID"] and message["Date"]
    assert f"https://medborgarloften.example{confirm_path}" in text
    assert f'href="https://medborgarloften.example{confirm_path}"' in html


def test_subscription_confirm_get_only_asks_and_post_confirms(client):
    subscription = services.subscribe(
        by=None, email="a@example.se", municipality=factories.municipality()
    )
    path = reverse("subscriptions:confirm", args=[subscription.token])

    page = client.get(path)
    subscription.refresh_from_db()
    confirmed_after_get = subscription.confirmed_at
    client.post(path)
    subscription.refresh_from_db()

    assert "Ja, bekräfta" in page.content.decode()
    assert confirmed_after_get is None
    assert subscription.confirmed_at is not None


def test_subscription_confirmation_link_expires_after_48_hours(client):
    subscription = services.subscribe(
        by=None,
        email="a@example.se",
        municipality=factories.municipality(),
        now=timezone.now() - timedelta(hours=48, minutes=1),
    )

    response = client.post(reverse("subscriptions:confirm", args=[subscription.token]))

    subscription.refresh_from_db()
    assert response.status_code == 404
    assert subscription.confirmed_at is None


def test_subscription_expiry_deletes_only_old_unconfirmed_addresses():
    kommun = factories.municipality()
    old = timezone.now() - timedelta(hours=49)
    services.subscribe(by=None, email="gammal@example.se", municipality=kommun, now=old)
    confirmed = services.subscribe(
        by=None, email="bekraftad@example.se", municipality=kommun, now=old
    )
    services.confirm_subscription(confirmed, by=None, now=old)
    services.subscribe(by=None, email="ny@example.se", municipality=kommun)

    deleted = services.expire_unconfirmed(now=timezone.now())

    assert deleted == 1
    assert set(Subscription.objects.values_list("email", flat=True)) == {
        "bekraftad@example.se",
        "ny@example.se",
    }


def test_subscription_honeypot_stores_nothing(client, mailbox, django_capture_on_commit_callbacks):
    response = _subscribe(client, django_capture_on_commit_callbacks, website="http://spam")

    assert response.status_code == 302
    assert not Subscription.objects.exists()
    assert mailbox.wait_for(1, timeout=0.3) == []


def test_subscription_with_a_bad_address_says_so_next_to_the_field(client):
    response = client.post(SUBSCRIBE, {"email": "inte-en-adress"})

    assert response.status_code == 200
    assert "Skriv en hel e-postadress" in response.content.decode()
    assert not Subscription.objects.exists()


def test_subscription_is_rate_limited_per_address(client, django_capture_on_commit_callbacks):
    for _ in range(3):
        _subscribe(client, django_capture_on_commit_callbacks, email="samma@example.se")

    response = client.post(SUBSCRIBE, {"email": "samma@example.se"})

    assert response.status_code == 429
    assert "För många försök" in response.content.decode()


def test_subscription_in_english_sends_an_english_confirmation(
    client, mailbox, django_capture_on_commit_callbacks
):
    _subscribe(client, django_capture_on_commit_callbacks, path="/en" + SUBSCRIBE)

    [message] = mailbox.wait_for(1)
    text, _html = parts(message)
    assert Subscription.objects.get().language == "en"
    assert message["Subject"] == "Confirm that you want to follow Tranås"
    assert "/en/prenumeration/bekrafta/" in text


def _confirmed(email="invanare@example.se", code="0687"):
    subscription = services.subscribe(
        by=None, email=email, municipality=factories.municipality(code)
    )
    return services.confirm_subscription(subscription, by=None)


def test_subscriber_digest_lists_the_weeks_public_events_with_unsubscribe_headers(mailbox):
    subscription = _confirmed()
    period = factories.period("0687", starts_on=date(2023, 1, 1), ends_on=date(2027, 12, 31))
    activity = factories.activity(period)
    factories.event(activity, date(2024, 5, 2), place="Stora torget", summary="Kontroll vid torget")
    draft = factories.period("0687", is_published=False, slug="utkast")
    factories.event(factories.activity(draft), date(2024, 5, 2), summary="Hemligt utkast")
    slot = (timezone.now() + timedelta(minutes=1)).isoformat()

    sent = send_subscriber_digests.call(slot=slot)

    [message] = mailbox.wait_for(1)
    text, html = parts(message)
    unsubscribe = f"https://medborgarloften.example/prenumeration/avsluta/{subscription.token}/"
    assert sent == 1
    assert message["Subject"] == "Veckans uppföljningar i Tranås"
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Kontroll vid torget" in text and "Stora torget" in html
    assert "Hemligt utkast" not in text + html


def test_subscriber_digest_sends_nothing_in_a_quiet_week(mailbox):
    _confirmed()

    sent = send_subscriber_digests.call(slot=timezone.now().isoformat())

    assert sent == 0
    assert mailbox.wait_for(1, timeout=0.3) == []


def test_unsubscribe_one_click_post_without_csrf_deletes_the_address():
    subscription = _confirmed()
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("subscriptions:unsubscribe", args=[subscription.token]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_unsubscribe_get_only_shows_a_button(client):
    subscription = _confirmed()

    response = client.get(reverse("subscriptions:unsubscribe", args=[subscription.token]))

    assert "Avsluta och ta bort adressen" in response.content.decode()
    assert Subscription.objects.count() == 1


def test_kommun_page_offers_subscription_and_feedback_forms(client):
    response = client.get(reverse("public:municipality_detail", args=["tranas"]))

    content = response.content.decode()
    assert 'action="/kommuner/tranas/prenumerera/"' in content
    assert 'action="/kommuner/tranas/tyck-till/"' in content
    assert "Tyck till om tryggheten i Tranås" in content


def test_privacy_page_says_what_is_stored_and_how_long(client):
    response = client.get("/om/integritet/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "48 timmar" in content
    assert "Inga namn, inga spårningspixlar" in content


def test_kommun_page_forms_carry_no_csrf_token_because_the_page_is_cached():
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("public:municipality_detail", args=["tranas"]))

    response = client.post(SUBSCRIBE, {"email": "invanare@example.se", "website": ""})

    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert "csrftoken" not in page.cookies
    assert response.status_code == 302
    assert Subscription.objects.count() == 1
