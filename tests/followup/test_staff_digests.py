from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from followup.models import FollowUpReport, ReportKind, ReportStatus
from followup.notifications.digests import editor_digest, reporter_digest
from municipalities.models import MailPreference, Role, ScheduledRun, SentMail
from municipalities.site.schedule import run_due_jobs
from promises.models import PeriodStatus
from tests import factories
from tests.mailbox import drain_tasks, mailbox_fixture, parts  # noqa: F401

pytestmark = pytest.mark.django_db

# Monday 10 March 2025, 07:05 in Stockholm: just after the Monday digests' slot.
MONDAY = timezone.make_aware(datetime(2025, 3, 10, 7, 5))
SLOT = timezone.make_aware(datetime(2025, 3, 10, 7, 0))


@pytest.fixture
def hoglandet_reporter(db):
    account = factories.member(factories.police_organisation("Höglandet"), Role.REPORTER, "polis")
    account.email = "polis@polisen.example"
    account.save()
    return account


@pytest.fixture
def tranas_activities(db):
    """Four activities in a running Tranås period, as of MONDAY (30 per year each)."""
    period = factories.period(
        "0687", starts_on=date(2025, 1, 1), ends_on=date(2026, 12, 31), status=PeriodStatus.ACTIVE
    )
    police = factories.police_organisation("Höglandet")
    not_started = factories.activity(period, description="Trafikkontroller vid skolorna.")
    behind = factories.activity(period, description="Narkotikakontroller i centrum.")
    for day in (3, 4):
        factories.event(behind, date(2025, 2, day), organisation=police)
    on_track = factories.activity(period, description="Helgpatrullering på torget.")
    for day in range(1, 11):
        factories.event(on_track, date(2025, 2, day), organisation=police)
    kommun = factories.activity(
        period,
        organisations=[factories.municipal_organisation("0687")],
        description="Kommunen genomför trygghetsvandringar.",
    )
    return {"not_started": not_started, "behind": behind, "on_track": on_track, "kommun": kommun}


def test_reporter_digest_lists_exactly_the_reporters_behind_and_not_started_activities(
    hoglandet_reporter, tranas_activities
):
    items = reporter_digest(hoglandet_reporter, now=MONDAY)

    assert [(item.activity, item.reason) for item in items] == [
        (tranas_activities["not_started"], "not_started"),
        (tranas_activities["behind"], "behind"),
    ]


def test_reporter_digest_leaves_out_demo_periods_unless_allowed(hoglandet_reporter):
    period = factories.period(
        "0687",
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 12, 31),
        status=PeriodStatus.ACTIVE,
        is_demo=True,
    )
    factories.activity(period)

    real = reporter_digest(hoglandet_reporter, now=MONDAY)
    console = reporter_digest(hoglandet_reporter, now=MONDAY, include_demo=True)

    assert real == []
    assert len(console) == 1


def test_monday_digest_mail_lists_the_activities_with_log_links(
    hoglandet_reporter, tranas_activities, mailbox, settings
):
    settings.SCHEDULE = {
        "staff_digests": {
            "task": "followup.notifications.tasks.send_staff_digests",
            "at": "07:00",
            "weekday": 0,
        }
    }

    run_due_jobs(MONDAY)
    drain_tasks()

    [message] = mailbox.wait_for(1)
    text, html = parts(message)
    behind_url = "https://medborgarloften.example" + reverse(
        "staff:activity_detail", args=[tranas_activities["behind"].pk]
    )
    assert message["To"] == "polis@polisen.example"
    assert message["Subject"] == "Måndagsbrev: 2 aktiviteter behöver dig"
    assert "Narkotikakontroller i centrum." in text and "Efter plan" in text
    assert "Trafikkontroller vid skolorna." in text and "Ej påbörjad" in text
    assert "Helgpatrullering" not in text
    assert "trygghetsvandringar" not in text
    assert behind_url in text
    assert f'href="{behind_url}"' in html


def test_worker_restart_does_not_send_a_slots_digest_twice(
    hoglandet_reporter, tranas_activities, mailbox, settings
):
    settings.SCHEDULE = {
        "staff_digests": {
            "task": "followup.notifications.tasks.send_staff_digests",
            "at": "07:00",
            "weekday": 0,
        }
    }

    first = run_due_jobs(MONDAY)
    drain_tasks()
    # The worker restarts ten minutes later and checks the schedule again.
    second = run_due_jobs(MONDAY.replace(minute=15))
    drain_tasks()

    assert first == ["staff_digests"]
    assert second == []
    assert ScheduledRun.objects.filter(job="staff_digests", slot=SLOT).count() == 1
    assert len(mailbox.wait_for(2, timeout=0.5)) == 1


def test_schedule_skips_a_slot_missed_by_more_than_the_grace_time(settings):
    settings.SCHEDULE = {
        "staff_digests": {
            "task": "followup.notifications.tasks.send_staff_digests",
            "at": "07:00",
            "weekday": 0,
        }
    }

    started = run_due_jobs(timezone.make_aware(datetime(2025, 3, 11, 9, 0)))

    assert started == []
    assert not ScheduledRun.objects.exists()


def test_staff_digest_retried_task_does_not_send_twice(
    hoglandet_reporter, tranas_activities, mailbox
):
    from followup.notifications.tasks import send_staff_digests

    first = send_staff_digests.call(slot=SLOT.isoformat())
    second = send_staff_digests.call(slot=SLOT.isoformat())

    assert (first, second) == (1, 0)
    assert SentMail.objects.filter(key__startswith="reporter-digest:").count() == 1
    assert len(mailbox.wait_for(2, timeout=0.5)) == 1


def test_staff_digest_failing_smtp_is_retried_later(
    hoglandet_reporter, tranas_activities, settings, django_capture_on_commit_callbacks
):
    from followup.notifications.tasks import send_staff_digests

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},
        }
    }
    send_staff_digests.enqueue(slot=SLOT.isoformat())

    drain_tasks()

    results = DBTaskResult.objects.order_by("enqueued_at")
    assert [result.status for result in results] == ["FAILED", "READY"]
    assert results[1].args_kwargs["kwargs"]["attempt"] == 2
    assert results[1].run_after > timezone.now()
    assert not SentMail.objects.exists()


def test_reporter_who_switched_the_digest_off_gets_nothing(
    hoglandet_reporter, tranas_activities, mailbox
):
    from followup.notifications.tasks import send_staff_digests

    MailPreference.objects.create(user=hoglandet_reporter, reporter_digest=False)

    sent = send_staff_digests.call(slot=SLOT.isoformat())

    assert sent == 0
    assert mailbox.wait_for(1, timeout=0.3) == []


def test_reporter_who_chose_english_gets_the_digest_in_english(
    hoglandet_reporter, tranas_activities, mailbox
):
    from followup.notifications.tasks import send_staff_digests

    MailPreference.objects.create(user=hoglandet_reporter, language="en")

    send_staff_digests.call(slot=SLOT.isoformat())

    [message] = mailbox.wait_for(1)
    text, html = parts(message)
    assert message["Subject"] == "Monday digest: 2 activities need you"
    assert '<html lang="en">' in html


def test_editor_digest_names_the_missing_tertial_report_the_ending_period_and_deviations():
    editor = factories.member(factories.municipal_organisation("0687"), Role.EDITOR, "samordnare")
    period = factories.period(
        "0687", starts_on=date(2024, 1, 1), ends_on=date(2025, 6, 30), status=PeriodStatus.ACTIVE
    )
    behind = factories.activity(
        period,
        organisations=[factories.municipal_organisation("0687")],
        description="Kommunen genomför trygghetsvandringar.",
    )
    factories.event(behind, date(2024, 2, 1))
    now = timezone.make_aware(datetime(2025, 5, 12, 7, 0))

    [entry] = editor_digest(editor, now=now)

    assert entry.period == period
    assert entry.missing_report == (1, 2025)
    assert entry.ends_on == date(2025, 6, 30)
    # 2024 ended with 1 of 30 and no deviation; 2025 has not started, which is not a deviation.
    assert [(activity, label) for activity, label, _url in entry.unexplained] == [(behind, "2024")]


def test_editor_digest_is_empty_once_the_deviation_is_written_and_report_published():
    editor = factories.member(factories.municipal_organisation("0687"), Role.EDITOR, "samordnare")
    period = factories.period(
        "0687", starts_on=date(2024, 1, 1), ends_on=date(2026, 12, 31), status=PeriodStatus.ACTIVE
    )
    activity = factories.activity(period, organisations=[factories.municipal_organisation("0687")])
    factories.event(activity, date(2024, 2, 1))
    now = timezone.make_aware(datetime(2025, 3, 10, 7, 0))
    before = editor_digest(editor, now=now)
    factories.deviation(activity, date(2024, 1, 1))
    FollowUpReport.objects.create(
        period=period,
        kind=ReportKind.YEAR,
        year=2024,
        status=ReportStatus.PUBLISHED,
        created_by=editor,
        published_by=editor,
        published_at=now,
        pdf="reports/helar-2024.pdf",
        sha256="0" * 64,
        frozen_data={},
    )

    after = editor_digest(editor, now=now)

    assert before[0].missing_report == (3, 2024)
    assert len(before[0].unexplained) == 1
    assert after == []
