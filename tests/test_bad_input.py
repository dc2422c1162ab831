"""Bad input never gives a 500, and refused input writes nothing.

First the cases found by hand (issue 13), each as it was reported; then a property-based test
(hypothesis) that finds every field of every staff form on its own page and posts generated
values to it: unicode, huge numbers, superscript digits, week dates, empty, overlong, null bytes.
Whatever it sends, the answer is never a 500 (the test client re-raises a server error), and
when the form refuses, no row anywhere has been added, changed or removed.
"""

import re
import uuid
from datetime import date

import pytest
from django.contrib.messages import constants, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.models import Deviation, FollowUpEvent, FollowUpReport, ReportKind
from followup.reports.services import create_report
from followup.staff import imports
from promises.models import (
    Activity,
    DecisionMemo,
    PeriodStatus,
    Promise,
    PromisePeriod,
    Signatory,
    SituationSource,
)
from tests import factories

pytestmark = pytest.mark.django_db

# What people (and scripts) actually send: the cases of issue 13 and their relatives.
NASTY = [
    "",
    " ",
    "²",
    "³⁴",
    "٣",
    "99999999999999999999999",
    "-1",
    "0",
    "1e309",
    "NaN",
    "2026-W45-1",
    "20261109",
    "2026-11-09 junk",
    "2026-02-30",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "x" * 5000,
    "ÅÄÖ åäö ﷽ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂",
    "bogus",
]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
HYPOTHESIS = settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
WATCHED = [
    FollowUpEvent,
    FollowUpEvent.history.model,
    Deviation,
    PromisePeriod,
    Promise,
    Activity,
    Signatory,
    SituationSource,
    DecisionMemo,
    FollowUpReport,
]


# --- The cases reported in issue 13 ----------------------------------------------------------


@pytest.fixture
def world(coordinator):
    """A running Tranås period the coordinator logs for, one event, a draft period to edit, a
    draft memo and a draft report."""
    today = timezone.localdate()
    running = factories.period(
        "0687",
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31),
        status=PeriodStatus.ACTIVE,
    )
    kommun = factories.municipal_organisation("0687")
    activity = factories.activity(running, organisations=[kommun])
    event = factories.event(activity, today, by=coordinator, organisation=kommun)
    draft = factories.period(
        "0687", starts_on=date(today.year + 1, 1, 1), ends_on=date(today.year + 2, 12, 31)
    )
    draft_promise = factories.promise(draft)
    draft_activity = factories.activity(draft, promise_=draft_promise, organisations=[kommun])
    signatory = factories.signatory(draft, kommun)
    source = factories.situation_source(draft)
    memo = factories.decision_memo(draft)
    report = create_report(
        running, by=coordinator, kind=ReportKind.YEAR, year=today.year, today=today
    )
    return {
        "activity": activity,
        "event": event,
        "draft": draft,
        "promise": draft_promise,
        "draft_activity": draft_activity,
        "signatory": signatory,
        "source": source,
        "memo": memo,
        "report": report,
    }


def _snapshot(world):
    counts = tuple(model.objects.count() for model in WATCHED)
    rows = tuple(
        tuple(sorted(type(obj).objects.filter(pk=obj.pk).values().first().items(), key=str))
        for obj in world.values()
        if isinstance(obj, Model)
    )
    return counts, rows


@pytest.mark.parametrize("to", ["bogus", "", "²"])
def test_period_transition_with_an_unknown_status_is_a_message(client, coordinator, world, to):
    client.force_login(coordinator)
    before = _snapshot(world)

    response = client.post(
        reverse("promises:period_transition", args=[world["draft"].pk]), {"to": to}
    )

    assert response.status_code == 200
    assert "Okänd status." in response.content.decode()
    assert _snapshot(world) == before


@pytest.mark.parametrize("value", ["²", "99999999999999999999999", "-1", "x"])
def test_dashboard_with_a_malformed_logged_id_shows_the_dashboard(
    client, coordinator, world, value
):
    client.force_login(coordinator)

    response = client.get(reverse("staff:dashboard"), {"loggad": value})

    assert response.status_code == 200
    assert "Registrerat:" not in response.content.decode()


def _csv(*rows):
    text = "aktivitet_id;datum;antal\r\n" + "".join(";".join(row) + "\r\n" for row in rows)
    return SimpleUploadedFile("h.csv", text.encode(), content_type="text/csv")


@pytest.mark.parametrize(
    ("activity_id", "quantity", "message"),
    [
        ("²", "1", "finns inte"),
        ("99999999999999999999999", "1", "finns inte"),
        (None, "²", "antal: ”²” är inte ett heltal."),
        (None, "99999999999999999999999", "är för stort"),
    ],
)
def test_import_with_odd_numbers_is_a_row_error(
    client, coordinator, world, activity_id, quantity, message
):
    client.force_login(coordinator)
    today = timezone.localdate().isoformat()
    upload = _csv([activity_id or str(world["activity"].pk), today, quantity])

    response = client.post(reverse("staff:import_upload"), {"file": upload})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "event_import" not in client.session


@pytest.mark.parametrize("value", ["2026-W45-1", "20261109", "2026-11-09 junk", "9/11/2026"])
def test_import_accepts_only_the_documented_date_format(value):
    row = imports.ImportRow(line=2, cells={"aktivitet_id": "", "datum": value})

    imports._parse(row, scope=None, activities={})

    assert row.occurred_on is None
    assert f"datum: ”{value}” är inte ett datum som ÅÅÅÅ-MM-DD." in row.errors


def test_import_documented_date_is_the_stored_date(client, coordinator, world):
    client.force_login(coordinator)
    day = timezone.localdate().replace(day=1)
    client.post(
        reverse("staff:import_upload"),
        {"file": _csv([str(world["activity"].pk), day.isoformat(), "2"])},
    )

    client.post(reverse("staff:import_commit"))

    assert FollowUpEvent.objects.filter(quantity=2).get().occurred_on == day


def test_memo_officer_email_must_be_an_address(client, coordinator, world):
    client.force_login(coordinator)
    memo = world["memo"]
    page = client.get(reverse("memos:edit", args=[memo.pk])).content.decode()
    data = {**_initial(page, ""), "officer_email": "inte en adress"}

    response = client.post(reverse("memos:edit", args=[memo.pk]), data)

    assert response.status_code == 200
    assert "Ange en giltig e-postadress" in response.content.decode()
    memo.refresh_from_db()
    assert memo.officer_email == "martin.palmqvist@tranås.se"


# --- Every staff form, with generated values --------------------------------------------------

_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
_ACTION = re.compile(r'action="([^"]*)"')
_INPUT = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"[^>]*>', re.S)
_VALUE = re.compile(r'<input\b[^>]*\bname="([^"]+)"[^>]*\bvalue="([^"]*)"', re.S)


def _form_body(page, action):
    for attributes, body in _FORM.findall(page):
        found = _ACTION.search(attributes)
        if (found.group(1) if found else "") == action:
            return body
    raise AssertionError(f"no form posting to {action!r} on the page")


def _fields(page, action):
    names = set(_INPUT.findall(_form_body(page, action))) - {"csrfmiddlewaretoken"}
    assert names, f"the form posting to {action!r} has no fields"
    return sorted(names)


def _initial(page, action):
    """The values of the form's inputs as the page sets them (text areas and selects aside)."""
    return {
        name: value
        for name, value in _VALUE.findall(_form_body(page, action))
        if name != "csrfmiddlewaretoken"
    }


# name → (page, where the form posts; "" for the page itself), both from the world.
TARGETS = {
    "log": ("staff:activity_detail", "activity", "staff:log_event", "activity"),
    "correct": ("staff:event_edit", "event", "", None),
    "retract": ("staff:event_retract", "event", "", None),
    "deviation": ("staff:deviation_create", "activity", "", None),
    "period_create": ("promises:period_create", None, "", None),
    "period_edit": ("promises:period_edit", "draft", "", None),
    "transition": ("promises:period_detail", "draft", "promises:period_transition", "draft"),
    "promise_create": ("promises:promise_create", "draft", "", None),
    "promise_edit": ("promises:promise_edit", "promise", "", None),
    "activity_create": ("promises:activity_create", "draft", "", None),
    "activity_edit": ("promises:activity_edit", "draft_activity", "", None),
    "signatory_create": ("promises:signatory_create", "draft", "", None),
    "signatory_edit": ("promises:signatory_edit", "signatory", "", None),
    "source_create": ("promises:source_create", "draft", "", None),
    "source_edit": ("promises:source_edit", "source", "", None),
    "memo": ("memos:edit", "memo", "", None),
    "report_comment": ("reports:detail", "report", "reports:update", "report"),
}


def _url(world, name, key):
    return reverse(name, args=[world[key].pk] if key else [])


def _refused(response):
    """A form that refuses re-renders (200) or, for the report comment, redirects with an
    error message; an accepted one redirects without one."""
    if response.status_code != 302:
        return True
    return any(m.level == constants.ERROR for m in get_messages(response.wsgi_request))


@pytest.mark.parametrize("target", TARGETS)
def test_staff_form_generated_input_never_500_and_refusal_writes_nothing(
    client, coordinator, world, target
):
    page_name, page_key, action_name, action_key = TARGETS[target]
    page_url = _url(world, page_name, page_key)
    client.force_login(coordinator)
    page = client.get(page_url).content.decode()
    action = _url(world, action_name, action_key) if action_name else ""
    names = _fields(page, action)
    initial = _initial(page, action)
    post_url = action or page_url

    @HYPOTHESIS
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(names, VALUES)))
    def post(generated):
        # Keep the management forms' and tokens' own values now and then, to get past them.
        data = {**initial, **generated} if "TOTAL_FORMS" in str(initial) else generated
        before = _snapshot(world)
        client.cookies.pop("messages", None)  # only this answer's messages say refused or not

        response = client.post(post_url, data)

        assert response.status_code < 500
        if _refused(response):
            assert _snapshot(world) == before

    post()


# "@" stands for the real activity's id, so some rows get as far as the service.
ROW = st.tuples(st.one_of(st.just("@"), VALUES), VALUES, VALUES, VALUES)


@HYPOTHESIS
@given(generated=st.lists(ROW, min_size=1, max_size=4))
def test_import_generated_rows_never_500_and_all_or_nothing(
    client, police_reporter_for_import, generated
):
    user, activity = police_reporter_for_import
    client.force_login(user)
    lines = ["aktivitet_id;datum;antal;plats"]
    for activity_id, day, quantity, place in generated:
        cells = [str(activity.pk) if activity_id == "@" else activity_id, day, quantity, place]
        lines.append(";".join(re.sub(r"[;\r\n\"]", " ", cell) for cell in cells))
    data = "\r\n".join(lines).encode("utf-8", "surrogatepass")
    before = FollowUpEvent.objects.count()

    preview = client.post(
        reverse("staff:import_upload"), {"file": SimpleUploadedFile("h.csv", data)}
    )
    committed = client.post(reverse("staff:import_commit"))

    assert preview.status_code == 200
    assert committed.status_code in (200, 302)
    assert FollowUpEvent.objects.count() - before in (0, len(generated))


@pytest.fixture
def police_reporter_for_import(coordinator):
    today = timezone.localdate()
    running = factories.period(
        "0687",
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31),
        status=PeriodStatus.ACTIVE,
    )
    kommun = factories.municipal_organisation("0687")
    return coordinator, factories.activity(running, organisations=[kommun])


def test_log_event_with_a_random_token_and_junk_never_500(client, coordinator, world):
    client.force_login(coordinator)

    response = client.post(
        reverse("staff:log_event", args=[world["activity"].pk]),
        {"quantity": "²", "occurred_on": "2026-W45-1", "submission_token": str(uuid.uuid4())},
    )

    assert response.status_code == 200
    assert FollowUpEvent.objects.count() == 1
