import pytest
from django.contrib.auth.models import AnonymousUser

from municipalities.models import Membership, Role
from municipalities.permissions import (
    can_edit_municipality,
    can_view_municipality,
    scope_for,
)
from promises.permissions import can_edit_period, can_log_for_activity, recordable_organisations
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
    scope = scope_for(request.getfixturevalue(persona))
    tranas = factories.municipality("0687")

    assert (can_view_municipality(scope, tranas), can_edit_municipality(scope, tranas)) == (
        view,
        edit,
    )


def test_police_reporter_covers_every_kommun_of_the_police_area(police_reporter):
    scope = scope_for(police_reporter)

    covered = {
        code: can_view_municipality(scope, factories.municipality(code))
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
    scope = scope_for(request.getfixturevalue(persona))
    period = factories.period("0687")
    by_police = factories.activity(period, organisations=[factories.police_organisation()])
    by_kommun = factories.activity(period, organisations=[factories.municipal_organisation()])

    assert (can_log_for_activity(scope, by_police), can_log_for_activity(scope, by_kommun)) == (
        police_activity,
        kommun_activity,
    )


def test_anonymous_user_may_do_nothing():
    period = factories.period("0687")
    activity = factories.activity(period)

    scope = scope_for(AnonymousUser())

    assert (scope.is_staff, can_edit_period(scope, period)) == (False, False)
    assert not can_log_for_activity(scope, activity)


def test_scope_is_one_query_for_every_membership(django_assert_num_queries):
    user = factories.member(factories.police_organisation(), Role.REPORTER)
    for code, role in (("0687", Role.EDITOR), ("0604", Role.VIEWER)):
        organisation = factories.municipal_organisation(code)
        Membership.objects.create(user=user, organisation=organisation, role=role)

    with django_assert_num_queries(1):
        scope = scope_for(user)
        again = scope_for(user)

    kommuner = {code: factories.municipality(code).pk for code in ("0687", "0604", "0684")}
    assert again is scope
    assert scope.editable_municipality_ids == {kommuner["0687"]}
    assert {kommuner["0604"], kommuner["0684"]} <= scope.covered_municipality_ids
    assert scope.writing_organisation_ids == {
        factories.police_organisation().pk,
        factories.municipal_organisation("0687").pk,
    }


def test_superuser_scope_sees_and_edits_every_kommun():
    scope = scope_for(factories.superuser())

    tyreso = factories.municipality("0138")
    assert (scope.is_staff, can_view_municipality(scope, tyreso)) == (True, True)
    assert can_edit_municipality(scope, tyreso)


def test_member_without_memberships_is_not_staff():
    scope = scope_for(factories.user())

    assert (scope.is_staff, scope.covered_municipality_ids) == (False, frozenset())


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("police_reporter", {"police"}),
        ("coordinator", {"police", "kommun"}),
        ("viewer", set()),
        ("outsider", set()),
        ("partner_reporter", set()),
    ],
)
def test_recordable_organisations_follow_role_and_coverage(persona, expected, request):
    organisations = {
        "police": factories.police_organisation(),
        "kommun": factories.municipal_organisation("0687"),
    }
    joint = factories.activity(factories.period("0687"), organisations=organisations.values())
    scope = scope_for(request.getfixturevalue(persona))

    recorded = recordable_organisations(scope, joint)

    assert {name for name, o in organisations.items() if o in recorded} == expected
