import html
from datetime import date, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from followup.demo.loader import DEMO_PASSWORD, DEMO_USERNAMES
from followup.models import Deviation, FollowUpEvent
from followup.progress import Status, progress_for
from followup.reports.documents import render_report_html, report_data, report_span
from municipalities import versioning
from municipalities.models import Membership, Organisation, OrganisationKind, Role
from promises.models import (
    Activity,
    Cadence,
    Promise,
    PromisePeriod,
    Signatory,
    SituationSource,
    TargetKind,
)

pytestmark = pytest.mark.django_db

# A fixed load date, so the relative demo period and its statuses are the same on every run.
DEMO_TODAY = date(2026, 5, 20)
# Django's default hasher takes seconds per password on a slow machine; the demo hashes one.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Sentences copied by hand from the seed documents (../shared/seeds), not from the data files:
# each must reach the public period page word for word. Keyed by (kommun, period slug, seed).
SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
SEED_WORDING = {
    ("0687", "2023-2024", "001_e80b662c9cdda8f0.txt"): [
        "Polisen ska i kommunen, i syfte att bidra till en säker trafikmiljö, genomföra minst "
        "trettio (30) trafikkontroller per år.",
        "Polisen lovar att genomföra minst femton (15) riktade insatser för att upptäcka fler "
        "narkotikabrott bland unga.",
        "Utifrån polisens trygghetsmätning och erfarenheter från polisens medarbetare har det "
        "framkommit att centrummiljön i Tranås upplevs som otrygg.",
        "Medborgarlöftena kommer att följas upp kontinuerligt och presenteras här.",
    ],
    ("0604", "2023-2024", "002_7ce57f9f72017ad7.txt"): [
        "Polisen ska genomföra minst tio riktade insatser för att upptäcka fler narkotikabrott "
        "främst bland unga.",
        "Kommunen ska genomföra två trygghetsvandringar tillsammans med polisen.",
        "Vid medborgarundersökningen har det framkommit att kommunens invånare önskar en ökad "
        "tillgänglighet och polisiär närvaro.",
        "Tf Lokalpolisområdeschef",
    ],
    ("1452", "2021-2022", "003_fe736b0576231e8a.txt"): [
        "Gemensamt medborgarlöfte för år 2021 och 2022",
        "Polisen tillsammans med Tranemo kommun ska verka för att göra kommunen till en trygg och "
        "inkluderande kommun att bo, verka och leva i.",
        "– Det är ett område som upplevs som otryggt av invånarna, nu vill vi vara med och ändra "
        "på detta, säger kommunpolis Sven Gardell.",
        "Den lokala styrgruppen som består av trygghetssamordnare, planeringschef, "
        "kommunpoliserna och Tranemo bostäder.",
    ],
    ("0138", "2018", "004_d80666631d06e2c1.txt"): [
        "Då inga nya medborgarundersökningar har gjorts inom detta område under 2017 föreslås "
        "undersökningen från 2016 gälla även för Medborgarlöfte 2018 med viss justering.",
        "På så sätt låser vi inte Medborgarlöftet till specifika platser utan kan styra åtgärder "
        "efter behov.",
        "genomföra regelbunden kartläggning för att få en bild av platser som upplevs otrygga och "
        "då rikta trygghetsskapande åtgärder utifrån det under 2018.",
        "Medborgarlöftet gäller från och med den 1 januari 2018 - 31 december 2018.",
    ],
}


def _period(code, slug):
    return PromisePeriod.objects.get(municipality__code=code, slug=slug)


def _counts():
    return {
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "organisations": Organisation.objects.count(),
        "periods": PromisePeriod.objects.count(),
        "promises": Promise.objects.count(),
        "activities": Activity.objects.count(),
        "signatories": Signatory.objects.count(),
        "sources": SituationSource.objects.count(),
        "events": FollowUpEvent.objects.counting().count(),
        "retracted": FollowUpEvent.objects.retracted().count(),
        "deviations": Deviation.objects.count(),
        "event_history": FollowUpEvent.history.count(),
        "period_history": PromisePeriod.history.count(),
    }


def _event_rows():
    return list(
        FollowUpEvent.objects.order_by(
            "activity__period__slug", "activity__position", "id"
        ).values_list(
            "activity__period__municipality__code",
            "activity__period__slug",
            "activity__position",
            "occurred_on",
            "quantity",
            "kind",
            "organisation__slug",
            "logged_by__username",
            "place",
            "summary",
            "retraction_reason",
        )
    )


def _load_demo():
    output = StringIO()
    call_command("load_demo", "--today", DEMO_TODAY.isoformat(), stdout=output)
    return output.getvalue()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not beside the repository")
@pytest.mark.parametrize("key", SEED_WORDING)
def test_seed_wording_is_copied_from_its_seed_document(key):
    seed = (SEEDS / key[2]).read_text(encoding="utf-8")

    missing = [sentence for sentence in SEED_WORDING[key] if sentence not in seed]

    assert missing == []


def test_migrate_alone_creates_no_demo_users():
    # The database here has only what the migrations load (reference data, themes).

    demo_users = get_user_model().objects.filter(username__in=DEMO_USERNAMES)

    assert list(demo_users) == []
    assert PromisePeriod.objects.count() == 0


def test_load_demo_bad_today_raises_command_error():
    with pytest.raises(CommandError, match="ÅÅÅÅ-MM-DD"):
        call_command("load_demo", "--today", "20-05-2026", stdout=StringIO())


@pytest.fixture(scope="class")
def demo_output(django_db_setup, django_db_blocker):
    """One load of the demo for a whole test class, rolled back after it; returns the output.

    Loading takes seconds, so the class shares it; each test still runs in its own savepoint.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield _load_demo()
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo_output")
class TestLoadedDemo:
    def test_load_demo_twice_leaves_the_same_data(self):
        counts, events = _counts(), _event_rows()

        _load_demo()

        assert _counts() == counts
        assert _event_rows() == events

    def test_load_demo_prints_logins_table(self, demo_output):
        lines = demo_output.splitlines()

        for username in DEMO_USERNAMES:
            row = next(line for line in lines if line.startswith(f"{username} "))
            assert row.split()[-1] == DEMO_PASSWORD

    def test_load_demo_creates_personas_with_one_membership_each(self):
        roles = {
            (m.user.username, m.organisation.name, m.role)
            for m in Membership.objects.filter(user__username__in=DEMO_USERNAMES).select_related(
                "user", "organisation"
            )
        }
        admin = get_user_model().objects.get(username="admin")

        assert roles == {
            ("polis.hoglandet", "Lokalpolisområde Höglandet", Role.REPORTER),
            ("samordnare.tranas", "Tranås kommun", Role.EDITOR),
            ("tranemobostader", "Tranemobostäder", Role.REPORTER),
            ("lasare.tranas", "Tranås kommun", Role.VIEWER),
            ("samordnare.tyreso", "Tyresö kommun", Role.EDITOR),
            ("samordnare.aneby", "Aneby kommun", Role.EDITOR),
        }
        assert admin.is_superuser is True
        assert admin.check_password(DEMO_PASSWORD) is True

    def test_tranas_2023_transcribes_three_promises_and_six_activities(self):
        period = _period("0687", "2023-2024")
        activities = list(period.activities.order_by("position"))

        assert period.title == "Medborgarlöfte 2023–2024"
        assert (period.starts_on, period.ends_on) == (date(2023, 1, 1), date(2024, 12, 31))
        assert period.police_area.name == "Höglandet"
        assert period.promises.count() == 3
        assert len(activities) == 6
        assert "minst trettio (30) trafikkontroller per år" in activities[0].description
        assert (activities[0].target_quantity, activities[0].cadence) == (30, Cadence.YEAR)
        assert "minst femton (15) riktade insatser" in activities[1].description
        assert (activities[1].target_quantity, activities[1].cadence) == (15, Cadence.PERIOD)
        assert activities[1].unit_plural == "riktade insatser"
        assert period.signatories.count() == 0
        assert sorted(period.sources.values_list("kind", flat=True)) == [
            "medarbetardialog",
            "trygghetsmatning",
            "underrattelsebild",
        ]

    def test_aneby_2023_has_ten_activities_and_two_signatories(self):
        period = _period("0604", "2023-2024")
        signatories = list(period.signatories.order_by("position").select_related("organisation"))

        assert period.promises.count() == 3
        assert period.activities.count() == 10
        assert (period.signed_on, period.signed_place) == (date(2023, 5, 30), "Aneby")
        assert period.starts_on == date(2023, 5, 30)
        assert [(s.name, s.title, s.organisation.name) for s in signatories] == [
            ("Beata Allen", "Kommunstyrelsens ordförande", "Aneby kommun"),
            ("Mathias Ljung", "Tf Lokalpolisområdeschef", "Lokalpolisområde Höglandet"),
        ]

    def test_tranemo_2021_has_tranemobostader_as_partner_and_no_police_area(self):
        period = _period("1452", "2021-2022")
        police = Organisation.objects.get(slug="polisen-tranemo")

        assert [partner.name for partner in period.partners.all()] == ["Tranemobostäder"]
        assert period.police_area is None
        assert (police.kind, police.municipality.code) == (OrganisationKind.POLICE, "1452")
        assert period.signatories.count() == 0
        assert not period.activities.filter(target_kind=TargetKind.COUNT).exists()

    def test_tyreso_2018_dates_and_promise_titles(self):
        period = _period("0138", "2018")

        assert (period.starts_on, period.ends_on) == (date(2018, 1, 1), date(2018, 12, 31))
        assert period.police_area.name == "Nacka"
        assert period.decision_reference == "2017/KS 0393 30"
        assert list(period.promises.values_list("title", flat=True)) == [
            "Otrygga platser",
            "Trafik",
        ]

    def test_demo_follow_up_is_all_marked_demo(self):
        events = FollowUpEvent.objects.all()

        assert events.count() > 0
        assert list(events.filter(is_demo=False)) == []
        assert list(Deviation.objects.filter(is_demo=False)) == []
        assert events.retracted().count() > 0
        assert set(PromisePeriod.objects.filter(is_demo=True).values_list("slug", flat=True)) == {
            "demo-pagaende"
        }

    def test_demo_events_logged_by_a_member_of_the_organisation(self):
        events = FollowUpEvent.objects.select_related("logged_by", "organisation")

        strangers = [
            event
            for event in events
            if not Membership.objects.filter(
                user=event.logged_by, organisation=event.organisation
            ).exists()
        ]

        assert strangers == []

    def test_demo_running_period_shows_every_status(self):
        period = _period("0687", "demo-pagaende")
        activities = period.activities.select_related("period")

        progress = progress_for(activities, today=DEMO_TODAY)

        statuses = {bucket.status for p in progress.values() for bucket in p.buckets}
        assert period.is_demo is True
        assert (period.starts_on, period.ends_on) == (date(2025, 1, 1), date(2026, 12, 31))
        assert statuses == {
            Status.ACHIEVED,
            Status.ON_TRACK,
            Status.BEHIND,
            Status.NOT_ACHIEVED,
            Status.NOT_STARTED,
            Status.UPCOMING,
        }

    @pytest.mark.parametrize("key", SEED_WORDING)
    def test_seed_wording_survives_to_the_public_period_page(self, client, key):
        code, slug, _ = key
        period = _period(code, slug)
        url = reverse("public:period_detail", args=[period.municipality.slug, slug])

        page = html.unescape(client.get(url).content.decode())

        missing = [sentence for sentence in SEED_WORDING[key] if sentence not in page]
        assert missing == []

    def test_load_demo_renews_data_versions_itself(
        self,
    ):
        before = (versioning.current(), versioning.current("tranas"))

        _load_demo()

        after = (versioning.current(), versioning.current("tranas"))
        assert after[0] != before[0]
        assert after[1] != before[1]

    def test_demo_events_are_logged_the_evening_they_happened(self):
        events = list(FollowUpEvent.objects.select_related("activity__period"))
        history = FollowUpEvent.history.filter(history_type="+")

        stamps = {
            (timezone.localtime(event.logged_at).date(), timezone.localtime(event.logged_at).hour)
            == (event.occurred_on, 20)
            for event in events
        }
        assert stamps == {True}
        assert [event for event in events if event.is_late] == []
        assert {timezone.localtime(entry.history_date).hour for entry in history} == {20}

    def test_demo_concluded_periods_get_their_events_logged_as_of_their_days(self):
        concluded = PromisePeriod.objects.filter(status="concluded")

        counts = {
            period.slug + "/" + period.municipality.code: FollowUpEvent.objects.filter(
                activity__period=period
            ).count()
            for period in concluded.select_related("municipality")
        }

        # Tyresö 2018 has no planned follow-up; the others have, and all of it was written.
        assert {key: count > 0 for key, count in counts.items()} == {
            "2018/0138": False,
            "2021-2022/1452": True,
            "2023-2024/0604": True,
            "2023-2024/0687": True,
        }

    def test_demo_deviation_is_written_the_day_after_its_bucket_ended(self):
        deviation = Deviation.objects.get(
            activity__period__municipality__code="0687",
            activity__period__slug="2023-2024",
        )

        assert timezone.localtime(deviation.created_at).date() == date(2025, 1, 1)

    def test_demo_t2_2024_report_counts_what_was_logged_by_its_date(self):
        period = _period("0687", "2023-2024")
        span = report_span(period, "tertial", 2024, 2, today=DEMO_TODAY)
        moment = timezone.make_aware(datetime(2024, 9, 10, 12))

        data = report_data(period, span, at=moment)
        year = report_data(
            period,
            report_span(period, "year", 2024, today=DEMO_TODAY),
            at=timezone.make_aware(datetime(2025, 1, 20, 12)),
        )

        rows = [row for promise in data["promises"] for row in promise["rows"]]
        traffic = next(row for row in rows if row["number"] == 1)
        year_traffic = next(
            row for promise in year["promises"] for row in promise["rows"] if row["number"] == 1
        )
        # Tranås' traffic checks, 22 of 30 in 2024: some in T2, explained only after the year.
        assert traffic["done_in_span"] > 0
        assert traffic["deviations"] == []
        assert [d["text"][:30] for d in year_traffic["deviations"]] == [
            "Under hösten 2024 behövdes tra"
        ]
        assert "Läget den 31 augusti 2024" in render_report_html(data)
