"""Cache versions: the services renew exactly the kommun they wrote, in their own transaction;
the national version is derived, so a write updates one row."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from followup import services as followup_services
from followup.models import DeviationReason, ReportKind
from followup.reports import services as report_services
from municipalities import versioning
from municipalities.models import DataVersion, Role
from promises import services as promise_services
from promises.memos import services as memo_services
from promises.models import MemoStatus, PeriodStatus, SourceKind, TargetKind, Theme
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _counters():
    return dict(DataVersion.objects.values_list("scope", "counter"))


def _moved(before):
    after = _counters()
    return sorted(scope for scope, counter in after.items() if counter != before.get(scope, 0))


# --- The API -------------------------------------------------------------------------------------


def test_versioning_renew_kommun_writes_only_that_kommuns_row():
    before = _counters()

    versioning.renew_kommun("tranas")

    assert _moved(before) == ["kommun:tranas"]


def test_versioning_first_renewal_of_a_scope_creates_its_row():
    assert not DataVersion.objects.filter(scope__in=["kommun:tranas", "reference"]).exists()

    versioning.renew_kommun("tranas")
    versioning.renew_reference()

    assert _counters() == {"kommun:tranas": 1, "reference": 1}


def test_versioning_renew_kommun_takes_municipalities_and_slugs_once_each():
    before = _counters()

    versioning.renew_kommun(factories.municipality("0604"), "tranas", None, "tranas")

    assert _moved(before) == ["kommun:aneby", "kommun:tranas"]
    assert _counters()["kommun:tranas"] == before.get("kommun:tranas", 0) + 1


def test_versioning_renew_kommun_leaves_another_kommuns_version_alone():
    aneby, tranas, national = (versioning.current(slug) for slug in ("aneby", "tranas", None))

    versioning.renew_kommun("tranas")

    assert versioning.current("aneby") == aneby
    assert versioning.current("tranas") != tranas
    assert versioning.current() != national


def test_versioning_renew_reference_renews_every_kommun_and_the_national_version():
    before = _counters()
    aneby, tranas, national = (versioning.current(slug) for slug in ("aneby", "tranas", None))

    versioning.renew_reference()

    assert _moved(before) == ["reference"]
    assert versioning.current("aneby") != aneby
    assert versioning.current("tranas") != tranas
    assert versioning.current() != national


def test_versioning_bump_without_arguments_renews_the_reference_version():
    before = _counters()

    versioning.bump()

    assert _moved(before) == ["reference"]


def test_versioning_bump_with_slugs_renews_those_kommuner():
    before = _counters()

    versioning.bump(["tranas", "aneby"])

    assert _moved(before) == ["kommun:aneby", "kommun:tranas"]


def test_versioning_national_version_is_read_in_one_query(django_assert_num_queries):
    versioning.renew_kommun("tranas", "aneby")

    with django_assert_num_queries(1):
        version = versioning.current()

    counters = _counters()
    assert version.startswith(f"{counters['kommun:tranas'] + counters['kommun:aneby']}.")


def test_versioning_kommun_version_is_read_in_one_query(django_assert_num_queries):
    versioning.renew_kommun("tranas")

    with django_assert_num_queries(1):
        version = versioning.current("tranas")

    assert version.count("/") == 1


def test_versioning_versions_carry_the_counters_and_times_the_orm_reads():
    versioning.renew_kommun("tranas", "aneby")
    versioning.renew_reference()
    rows = {row.scope: row for row in DataVersion.objects.all()}

    def part(row):
        return f"{row.counter}.{row.changed_at.timestamp():.6f}"

    kommuner = [rows["kommun:tranas"], rows["kommun:aneby"]]
    national = sum(row.counter for row in [rows["reference"], *kommuner])
    latest = max(row.changed_at for row in [rows["reference"], *kommuner])

    assert versioning.current("tranas") == f"{part(rows['reference'])}/{part(kommuner[0])}"
    assert versioning.current() == f"{national}.{latest.timestamp():.6f}"
    # A kommun without a row yet: its part is 0 until its first write.
    assert versioning.current("tranemo") == f"{part(rows['reference'])}/0.0"


# --- Every service renews exactly its kommun ------------------------------------------------


@pytest.fixture
def world():
    """A Tranås period with promise, activity, event, signatory, source, memo and report, and an
    Aneby period beside it whose version must stay where it is. (Factories write directly and
    renew nothing; a write made inside a case by a factory is arrangement, not the act.)"""
    period = factories.period("0687")
    promise = factories.promise(period)
    activity = factories.activity(
        period,
        promise_=promise,
        organisations=[factories.police_organisation(), factories.municipal_organisation()],
    )
    event = factories.event(activity, date(2023, 5, 12))
    aneby = factories.period("0604")
    factories.event(factories.activity(aneby), date(2023, 5, 12))
    editor = factories.member(factories.municipal_organisation(), Role.EDITOR)
    # Events are logged only on adopted periods (the drafts above stay free to edit).
    adopted = factories.period("0687", status=PeriodStatus.ADOPTED)
    logged_activity = factories.activity(
        adopted,
        organisations=[factories.police_organisation(), factories.municipal_organisation()],
    )
    return SimpleNamespace(
        period=period,
        promise=promise,
        activity=activity,
        event=event,
        logged_activity=logged_activity,
        logged_event=factories.event(logged_activity, date(2023, 5, 12)),
        editor=editor,
        signatory=factories.signatory(period, factories.municipal_organisation()),
        source=factories.situation_source(period),
        memo=factories.decision_memo(period),
        report=report_services.create_report(
            period, by=editor, kind=ReportKind.YEAR, year=2023, today=TODAY
        ),
    )


def _final_memo(w):
    """A finalised memo of another Tranås period, written directly (no PDF rendered)."""
    return factories.decision_memo(
        factories.period("0687"),
        status=MemoStatus.FINAL,
        finalised_at=timezone.now(),
        finalised_by=w.editor,
        frozen_data={},
        pdf="memos/frozen.pdf",
        sha256="0" * 64,
    )


WRITES = {
    "create_period": lambda w: promise_services.create_period(
        w.period.municipality,
        by=w.editor,
        title="Medborgarlöfte 2025–2026",
        slug="2025-2026",
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 12, 31),
    ),
    "update_period": lambda w: promise_services.update_period(
        w.period, by=w.editor, title="Medborgarlöfte för Tranås"
    ),
    "transition_period": lambda w: promise_services.transition_period(
        w.period,
        by=w.editor,
        to=PeriodStatus.ADOPTED,
        adopted_on=date(2023, 1, 10),
        decision_reference="KS 2023 § 12",
        today=TODAY,
    ),
    "set_published": lambda w: promise_services.set_published(
        w.period, by=w.editor, published=False
    ),
    "renew_period": lambda w: promise_services.renew_period(w.period, by=w.editor),
    "save_promise": lambda w: promise_services.save_promise(
        w.period, by=w.editor, position=2, title="En säker trafikmiljö", theme=Theme.objects.first()
    ),
    "save_activity": lambda w: promise_services.save_activity(
        w.period,
        by=w.editor,
        activity=w.activity,
        responsible_organisations=[factories.police_organisation()],
        description="Polisen genomför fler trafikkontroller.",
        target_kind=TargetKind.COUNT,
    ),
    "save_signatory": lambda w: promise_services.save_signatory(
        w.period, by=w.editor, signatory=w.signatory, name="Anna Andersson"
    ),
    "delete_signatory": lambda w: promise_services.delete_signatory(w.signatory, by=w.editor),
    "save_source": lambda w: promise_services.save_source(
        w.period, by=w.editor, kind=SourceKind.SAFETY_SURVEY, description="Trygghetsmätning 2023"
    ),
    "delete_source": lambda w: promise_services.delete_source(w.source, by=w.editor),
    "create_memo_from_period": lambda w: memo_services.create_memo_from_period(
        factories.period("0687"), by=w.editor, today=TODAY
    ),
    "update_memo": lambda w: memo_services.update_memo(w.memo, by=w.editor, title="Ny rubrik"),
    "finalise_memo": lambda w: memo_services.finalise_memo(w.memo, by=w.editor),
    "new_memo_version": lambda w: memo_services.new_memo_version(_final_memo(w), by=w.editor),
    "log_event": lambda w: followup_services.log_event(
        w.logged_activity,
        by=w.editor,
        occurred_on=date(2023, 6, 1),
        organisation=factories.police_organisation(),
        today=TODAY,
    ),
    "correct_event": lambda w: followup_services.correct_event(
        w.logged_event, by=w.editor, reason="Fel antal.", quantity=2, today=TODAY
    ),
    "retract_event": lambda w: followup_services.retract_event(
        w.logged_event, by=w.editor, reason="Dubbelregistrering.", today=TODAY
    ),
    "add_deviation": lambda w: followup_services.add_deviation(
        w.activity,
        by=w.editor,
        bucket_start=date(2023, 1, 1),
        reason=DeviationReason.RESOURCES,
        text="Resurserna gick till en större insats.",
    ),
    "create_report": lambda w: report_services.create_report(
        w.period, by=w.editor, kind=ReportKind.TERTIAL, year=2023, tertial=1, today=TODAY
    ),
    "update_report": lambda w: report_services.update_report(
        w.report, by=w.editor, comment="Bra arbete."
    ),
    "publish_report": lambda w: report_services.publish_report(w.report, by=w.editor, today=TODAY),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_versioning_service_renews_exactly_its_kommun(world, write):
    before = _counters()

    write(world)

    assert _moved(before) == ["kommun:tranas"]


def test_versioning_service_in_tranas_leaves_anebys_version_and_moves_the_national(world):
    aneby, national = versioning.current("aneby"), versioning.current()

    followup_services.log_event(
        world.logged_activity,
        by=world.editor,
        occurred_on=date(2023, 6, 1),
        organisation=factories.police_organisation(),
        today=TODAY,
    )

    assert versioning.current("aneby") == aneby
    assert versioning.current() != national


def test_versioning_refused_write_renews_nothing(world):
    before = _counters()

    with pytest.raises(ValidationError):
        followup_services.log_event(
            world.activity,
            by=world.editor,
            occurred_on=date(2023, 6, 1),
            organisation=factories.police_organisation(),
            quantity=0,
            today=TODAY,
        )

    assert _moved(before) == []
