import re

import pytest
from django.urls import reverse

from municipalities.models import MailPreference
from tests import factories
from tests.mailbox import drain_tasks, mailbox_fixture, parts  # noqa: F401

pytestmark = pytest.mark.django_db


def _request_reset(client, capture, email):
    with capture(execute=True):
        response = client.post(reverse("site:password_reset"), {"email": email})
    drain_tasks()
    return response


def test_password_reset_mail_has_a_link_that_sets_the_new_password(
    client, mailbox, django_capture_on_commit_callbacks
):
    account = factories.user("polis", email="polis@polisen.example")

    response = _request_reset(client, django_capture_on_commit_callbacks, "polis@polisen.example")
    [message] = mailbox.wait_for(1)
    text, html = parts(message)
    link = re.search(r"https://medborgarloften\.example(/personal/nytt-losenord/\S+/)", text)[1]
    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "nytt-langt-losen-42", "new_password2": "nytt-langt-losen-42"},
    )

    account.refresh_from_db()
    assert response.url == reverse("site:password_reset_done")
    assert message["Subject"] == "Nytt lösenord till medborgarlöftesportalen"
    assert message["From"] == "Medborgarlöften <noreply@medborgarloften.example>"
    assert message["Message-ID"] and message["Date"] and message["Reply-To"]
    assert f'href="https://medborgarloften.example{link}"' in html
    assert done.url == reverse("site:password_reset_complete")
    assert account.check_password("nytt-langt-losen-42")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client, mailbox, django_capture_on_commit_callbacks
):
    response = _request_reset(client, django_capture_on_commit_callbacks, "okand@example.se")

    assert response.url == reverse("site:password_reset_done")
    assert mailbox.wait_for(1, timeout=0.3) == []


def test_password_reset_in_english_for_a_user_who_chose_english(
    client, mailbox, django_capture_on_commit_callbacks
):
    account = factories.user("officer", email="officer@polisen.example")
    MailPreference.objects.create(user=account, language="en")

    _request_reset(client, django_capture_on_commit_callbacks, "officer@polisen.example")

    [message] = mailbox.wait_for(1)
    assert message["Subject"] == "New password for the citizen promises portal"


def test_password_reset_is_rate_limited(client, mailbox, django_capture_on_commit_callbacks):
    factories.user("polis", email="polis@polisen.example")

    for _ in range(6):
        _request_reset(client, django_capture_on_commit_callbacks, "polis@polisen.example")

    assert len(mailbox.wait_for(6, timeout=0.5)) == 5


def test_password_reset_page_is_swedish_and_linked_from_login(client):
    login = client.get(reverse("site:login")).content.decode()
    page = client.get(reverse("site:password_reset")).content.decode()

    assert reverse("site:password_reset") in login
    assert "Glömt lösenordet" in page
    assert "E-postadress" in page
