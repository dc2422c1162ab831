import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_login_page_is_in_swedish(client):
    response = client.get(reverse("site:login"))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in content
    assert "Användarnamn" in content
    assert "Lösenord" in content


def test_login_with_correct_password_goes_to_the_dashboard(client, police_reporter):
    police_reporter.set_password("rätt-lösenord-1")
    police_reporter.save()

    response = client.post(
        reverse("site:login"), {"username": "polis", "password": "rätt-lösenord-1"}
    )

    assert response.status_code == 302
    assert response.url == reverse("staff:dashboard")


def test_login_with_wrong_password_says_so_in_swedish(client, police_reporter):
    response = client.post(reverse("site:login"), {"username": "polis", "password": "fel"})

    assert response.status_code == 200
    assert "korrekt användarnamn och lösenord" in response.content.decode()


def test_logout_ends_the_session(client, police_reporter):
    client.force_login(police_reporter)

    response = client.post(reverse("site:logout"))

    assert response.url == reverse("site:login")
    assert client.get(reverse("staff:dashboard")).status_code == 302


def test_password_change_sets_the_new_password(client, police_reporter):
    client.force_login(police_reporter)

    response = client.post(
        reverse("site:password_change"),
        {
            "old_password": "x",
            "new_password1": "ett-nytt-langt-losen-42",
            "new_password2": "ett-nytt-langt-losen-42",
        },
    )

    police_reporter.refresh_from_db()
    assert response.url == reverse("site:password_change_done")
    assert police_reporter.check_password("ett-nytt-langt-losen-42")


def test_dashboard_without_session_redirects_to_login(client):
    response = client.get(reverse("staff:dashboard"))

    assert response.status_code == 302
    assert response.url == f"{reverse('site:login')}?next=/personal/"


def test_htmx_request_with_expired_session_gets_hx_redirect(client, traffic):
    response = client.post(
        reverse("staff:log_event", args=[traffic.pk]),
        {"quantity": "1"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/personal/"},
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('site:login')}?next=/personal/"
    assert response.content == b""


def test_signed_in_user_without_membership_is_forbidden(client):
    client.force_login(factories.user())

    response = client.get(reverse("staff:dashboard"))

    assert response.status_code == 403
    assert "Du har inte behörighet till det här" in response.content.decode()


def test_session_lasts_one_working_shift(settings):
    assert (settings.SESSION_COOKIE_AGE, settings.SESSION_EXPIRE_AT_BROWSER_CLOSE) == (
        8 * 60 * 60,
        False,
    )


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("viewer", [], ["Importera", "Tyck till", "Medlemmar"]),
        ("police_reporter", ["Importera"], ["Tyck till", "Medlemmar"]),
        ("coordinator", ["Importera", "Tyck till", "Medlemmar"], []),
    ],
)
def test_staff_menu_shows_only_links_the_role_can_use(client, request, persona, shown, hidden):
    client.force_login(request.getfixturevalue(persona))

    menu = client.get(reverse("staff:dashboard")).content.decode().split("</nav>")[0]

    assert [label for label in shown if f">{label}</a>" in menu] == shown
    assert [label for label in hidden if f">{label}</a>" in menu] == []
