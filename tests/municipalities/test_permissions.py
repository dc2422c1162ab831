import pytest
from django.contrib.auth.models import AnonymousUser

from municipalities.permissions import can_edit_municipality, can_view_municipality
from promises.permissions import can_edit_period, can_log_for_activity
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "view", "edit"),
    [
        ("police_reporter", True, False),
        ("coordinator", True, True),
        ("partner_reporter", False, False),
        ("viewer", True, False),
        ("outsider", False, False),
    ],
)
def test_tranas_staff_access_follows_membership(persona, view, edit, request):
    user = request.getfixturevalue(persona)
    tranas = factories.municipality("0687")

    assert (can_view_municipality(user, tranas), can_edit_municipality(user, tranas)) == (
        view,
        edit,
    )


def test_police_reporter_covers_every_kommun_of_the_police_area(police_reporter):
    covered = {
        code: can_view_municipality(police_reporter, factories.municipality(code))
        for code in ("0604", "0687", "0684", "0138")
    }

    assert covered == {"0604": True, "0687": True, "0684": True, "0138": False}


@pytest.mark.parametrize(
    ("persona", "police_activity", "kommun_activity"),
    [
        ("police_reporter", True, False),
        ("coordinator", False, True),
        ("viewer", False, False),
        ("outsider", False, False),
    ],
)
def test_logging_is_for_the_own_organisations_activities(
    persona, police_activity, kommun_activity, request
):
    user = request.getfixturevalue(persona)
    period = factories.period("0687")
    by_police = factories.activity(period, organisations=[factories.police_organisation()])
    by_kommun = factories.activity(period, organisations=[factories.municipal_organisation()])

    assert (can_log_for_activity(user, by_police), can_log_for_activity(user, by_kommun)) == (
        police_activity,
        kommun_activity,
    )


def test_anonymous_user_may_do_nothing():
    period = factories.period("0687")
    activity = factories.activity(period)

    assert not can_edit_period(AnonymousUser(), period)
    assert not can_log_for_activity(AnonymousUser(), activity)
