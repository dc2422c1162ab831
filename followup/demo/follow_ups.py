"""Demo follow-up: events, retractions and deviations for the demo and seed periods.

Everything here is invented and marked ``is_demo=True``. It is written through the services
(``log_event``, ``retract_event``, ``add_deviation``) exactly as a user would write it, by the demo
account of the organisation that did the work, and it is deterministic: one
``random.Random(2026)``, the historic periods first so their events never depend on the load date.

The events are arranged so that every status of DESIGN §4 appears (``as of`` the load date):

- Tranås 2023–2024: traffic checks 31 in 2023 (Uppnått) and 22 in 2024 (Ej uppnått, with a
  deviation); 17 of 15 targeted operations (Uppnått); a double entry retracted.
- Aneby 2023–2024: targeted operations 7 of 6 in the partial 2023 (Uppnått), 8 of 10 in 2024
  (Ej uppnått, with a deviation); walks and meetings achieved; the premises milestone done.
- The running Tranås demo period (1 January last year to 31 December this year): traffic checks
  Uppnått last year and Enligt plan this year; targeted operations Efter plan (with a deviation);
  pub checks every ended month but two (Ej uppnått), none yet this month (Ej påbörjad) and the
  months to come (Kommande; in December there are none left); walks per tertial likewise; a
  weekly foot patrol; a milestone done; school visits on request.

Loading again first deletes the demo events and deviations of these periods (and their history
rows), so the result is the same every time.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from followup.models import Deviation, DeviationReason, EventKind, FollowUpEvent
from followup.services import add_deviation, log_event, retract_event
from municipalities.demo import load_demo_users
from municipalities.models import Organisation, OrganisationKind
from promises.demo import (
    ANEBY_2023,
    TRANAS_2023,
    TRANAS_DEMO,
    TRANEMO_2021,
    demo_period_keys,
    load_demo_periods,
)
from promises.models import PromisePeriod

RANDOM_SEED = 2026

TRANAS_TRAFFIC_PLACES = [
    "Riksväg 32 norr om Tranås",
    "Länsväg 131, Tranås",
    "Storgatan, Tranås",
    "Ågatan, Tranås",
    "Järnvägsgatan, Tranås",
    "Sommen, Tranås kommun",
    "Gripenberg, Tranås kommun",
]
TRANAS_CENTRE_PLACES = [
    "Storgatan, Tranås",
    "Ågatan, Tranås",
    "Resecentrum, Tranås",
    "Torget, Tranås",
    "Centrala Tranås",
]
ANEBY_PLACES = ["Aneby centrum", "Stationsområdet, Aneby", "Frinnaryd, Aneby kommun"]
ANEBY_TRAFFIC_PLACES = ["Riksväg 32 vid Aneby", "Aneby centrum", "Frinnaryd, Aneby kommun"]


def _traffic_summary(rng):
    return rng.choice(
        [
            f"Hastighetskontroll, {rng.randint(2, 9)} förare rapporterades för fortkörning.",
            f"Nykterhetskontroll, {rng.randint(40, 160)} förare blåste, ingen var påverkad.",
            f"Nykterhetskontroll, {rng.randint(40, 160)} förare blåste, en misstänkt rattfylla.",
            "Kontroll av tung trafik och lastsäkring.",
            "Kontroll av mopeder och epa-traktorer.",
        ]
    )


def _operation_summary(rng):
    return rng.choice(
        [
            "Riktad insats mot narkotika bland unga, en person rapporterades för ringa "
            "narkotikabrott.",
            "Riktad insats kring platser där unga samlas, inga brott upptäcktes.",
            f"Riktad insats med narkotikahund, {rng.randint(2, 3)} personer kontrollerades.",
            "Riktad insats mot narkotikaförsäljning, beslag av en mindre mängd cannabis.",
        ]
    )


def _lob_summary(rng):
    return rng.choice(
        [
            "Helgpatrullering i centrum, en person omhändertogs enligt LOB.",
            "Helgpatrullering i centrum, två personer avvisades enligt polislagen.",
            "Kvällspatrullering, ordningen upprätthölls utan ingripanden.",
            "Patrullering vid krogstängning, en person omhändertogs enligt LOB.",
        ]
    )


def _pub_summary(rng):
    return rng.choice(
        [
            f"Krogkontroll på {rng.randint(2, 4)} serveringsställen, inga anmärkningar.",
            "Krogkontroll tillsammans med polisen, en anmärkning om trängsel.",
            "Krogkontroll, ett serveringsställe fick påpekande om ålderskontroll.",
        ]
    )


@dataclass
class DemoSummary:
    periods: int
    promises: int
    activities: int
    events: int
    retracted: int
    deviations: int


class _Writer:
    """Writes demo follow-up through the services; skips anything after the load date."""

    def __init__(self, rng, today, users):
        self.rng = rng
        self.today = today
        self.users = users
        self.police = Organisation.objects.get(
            kind=OrganisationKind.POLICE, police_area__name="Höglandet"
        )

    def kommun(self, period):
        return Organisation.objects.get(
            kind=OrganisationKind.MUNICIPALITY, municipality=period.municipality
        )

    def event(self, activity, day, *, username, organisation, summary="", place="", **extra):
        if day > self.today:
            return None
        return log_event(
            activity,
            by=self.users[username],
            occurred_on=day,
            organisation=organisation,
            summary=summary,
            place=place,
            is_demo=True,
            today=self.today,
            **extra,
        )

    def retract(self, event, *, username, reason):
        if event is not None:
            retract_event(event, by=self.users[username], reason=reason)

    def deviation(self, activity, bucket_start, *, username, reason, text, after=None):
        """Add a deviation once its bucket has started (or, with ``after``, after that day)."""
        if bucket_start <= self.today and (after is None or after < self.today):
            add_deviation(
                activity,
                by=self.users[username],
                bucket_start=bucket_start,
                reason=reason,
                text=text,
                is_demo=True,
            )

    def days(self, start, end, count):
        """``count`` distinct days from start to end (inclusive), sorted."""
        span = (end - start).days + 1
        offsets = self.rng.sample(range(span), min(count, span))
        return sorted(start + timedelta(days=offset) for offset in offsets)


def _activity(period, position):
    return period.activities.get(position=position)


# --- Tranås 2023–2024 ----------------------------------------------------------------------------


def _tranas_2023(w: _Writer, period):
    rng, police, kommun = w.rng, w.police, w.kommun(period)
    cop, coordinator = "polis.hoglandet", "samordnare.tranas"

    traffic = _activity(period, 1)
    last = None
    for year, count in ((2023, 31), (2024, 22)):
        for day in w.days(date(year, 1, 1), date(year, 12, 31), count):
            logged = w.event(
                traffic,
                day,
                username=cop,
                organisation=police,
                place=rng.choice(TRANAS_TRAFFIC_PLACES),
                summary=_traffic_summary(rng),
            )
            last = logged or last
    duplicate = w.event(
        traffic,
        last.occurred_on if last else date(2024, 12, 1),
        username=cop,
        organisation=police,
        place=last.place if last else "",
        summary=last.summary if last else "",
    )
    w.retract(duplicate, username=cop, reason="Dubbelregistrerad.")
    w.deviation(
        traffic,
        date(2024, 1, 1),
        username=cop,
        reason=DeviationReason.RESOURCES,
        text=(
            "Under hösten 2024 behövdes trafikpoliserna i andra ärenden och flera planerade "
            "kontroller ställdes in. Därför blev det 22 av 30 trafikkontroller under året."
        ),
        after=date(2024, 12, 31),
    )

    operations = _activity(period, 2)
    for day in w.days(date(2023, 1, 1), date(2024, 12, 31), 17):
        w.event(
            operations,
            day,
            username=cop,
            organisation=police,
            place=rng.choice(TRANAS_CENTRE_PLACES),
            summary=_operation_summary(rng),
        )

    lob = _activity(period, 3)
    for day in w.days(date(2023, 1, 1), date(2024, 12, 31), 8):
        w.event(
            lob,
            day,
            username=cop,
            organisation=police,
            place=rng.choice(TRANAS_CENTRE_PLACES),
            summary=_lob_summary(rng),
        )

    pubs = _activity(period, 4)
    for day in w.days(date(2023, 1, 1), date(2024, 12, 31), 6):
        w.event(
            pubs,
            day,
            username=coordinator,
            organisation=kommun,
            place="Centrala Tranås",
            summary=_pub_summary(rng),
        )

    information = _activity(period, 5)
    for day, summary in (
        (date(2023, 5, 25), "Brev till vårdnadshavare om langning inför skolavslutningen."),
        (date(2023, 11, 20), "Nationell kampanj mot langning spreds i kommunens kanaler."),
        (date(2024, 5, 27), "Brev till vårdnadshavare om langning inför skolavslutningen."),
        (date(2024, 9, 16), "Information om langning av tobak till handlare i centrum."),
    ):
        w.event(information, day, username=coordinator, organisation=kommun, summary=summary)

    meetings = _activity(period, 6)
    for index, day in enumerate(w.days(date(2023, 1, 1), date(2024, 12, 31), 8)):
        model = "SSPF" if index % 2 == 0 else "EST"
        w.event(
            meetings,
            day,
            username=coordinator,
            organisation=kommun,
            place="Kommunhuset, Tranås",
            summary=f"Samverkansmöte enligt {model} om medborgarlöftena.",
        )


# --- Aneby 2023–2024 -----------------------------------------------------------------------------


def _aneby_2023(w: _Writer, period):
    rng, police, kommun = w.rng, w.police, w.kommun(period)
    cop, coordinator = "polis.hoglandet", "samordnare.aneby"
    start, end = period.starts_on, period.ends_on

    office = _activity(period, 1)
    for day in w.days(start, end, 10):
        w.event(
            office,
            day,
            username=cop,
            organisation=police,
            place="Poliskontoret, Aneby",
            summary=f"Poliskontoret öppet, {rng.randint(2, 8)} besökare.",
        )

    w.event(
        _activity(period, 2),
        date(2023, 6, 20),
        username=coordinator,
        organisation=kommun,
        place="Aneby centrum",
        summary="Lokal för poliskontoret upplåten och öppettiderna publicerade på kommunens "
        "webbplats.",
    )

    w.event(
        _activity(period, 3),
        date(2023, 10, 12),
        username=cop,
        organisation=police,
        summary="Kartläggning av unga som brukar narkotika, ärenden lämnade till socialtjänsten.",
    )

    operations = _activity(period, 4)
    for year_start, year_end, count in (
        (start, date(2023, 12, 31), 7),
        (date(2024, 1, 1), end, 8),
    ):
        for day in w.days(year_start, year_end, count):
            w.event(
                operations,
                day,
                username=cop,
                organisation=police,
                place=rng.choice(ANEBY_PLACES),
                summary=_operation_summary(rng),
            )
    wrong = w.event(
        operations,
        date(2024, 11, 5),
        username=cop,
        organisation=police,
        place="Riksväg 32 vid Aneby",
        summary="Trafikkontroll.",
    )
    w.retract(wrong, username=cop, reason="Loggad på fel aktivitet, var en trafikkontroll.")
    w.deviation(
        operations,
        date(2024, 1, 1),
        username=cop,
        reason=DeviationReason.PLANNING,
        text=(
            "Två insatser som var planerade till december ställdes in och hann inte göras före "
            "årets slut."
        ),
        after=date(2024, 12, 31),
    )

    traffic = _activity(period, 5)
    for day in w.days(start, end, 6):
        w.event(
            traffic,
            day,
            username=cop,
            organisation=police,
            place=rng.choice(ANEBY_TRAFFIC_PLACES),
            summary=_traffic_summary(rng),
        )

    walks = _activity(period, 6)
    for day in (date(2023, 9, 14), date(2023, 10, 19), date(2024, 4, 18), date(2024, 10, 10)):
        w.event(
            walks,
            day,
            username=coordinator,
            organisation=kommun,
            place="Aneby centrum",
            summary="Trygghetsvandring med polisen och boende, belysning vid gångvägar noterad.",
        )

    est = _activity(period, 7)
    for day in w.days(start, end, 4):
        w.event(
            est,
            day,
            username=coordinator,
            organisation=kommun,
            summary="Möte i EST-gruppen om lägesbilden.",
        )

    andt = _activity(period, 8)
    for day, summary in (
        (date(2023, 8, 28), "Föräldramöte om alkohol och narkotika i högstadiet."),
        (date(2024, 3, 6), "Tillsynsbesök hos tobaksförsäljare."),
        (date(2024, 5, 29), "Brev till vårdnadshavare om langning inför skolavslutningen."),
    ):
        w.event(andt, day, username=coordinator, organisation=kommun, summary=summary)

    attendance = _activity(period, 9)
    for day in (date(2023, 11, 8), date(2024, 9, 25)):
        w.event(
            attendance,
            day,
            username=coordinator,
            organisation=kommun,
            summary="Uppföljning av skolnärvaron tillsammans med elevhälsan.",
        )

    meetings = _activity(period, 10)
    for day in (
        date(2023, 6, 27),
        date(2023, 9, 26),
        date(2023, 12, 5),
        date(2024, 2, 20),
        date(2024, 5, 14),
        date(2024, 9, 17),
        date(2024, 11, 26),
    ):
        w.event(
            meetings,
            day,
            username=coordinator,
            organisation=kommun,
            summary="Samverkansmöte mellan kommunen och polisen om de pågående aktiviteterna.",
        )


# --- Tranemo 2021–2022: the partner's own activity ------------------------------------------------


def _tranemo_2021(w: _Writer, period):
    partner = Organisation.objects.get(slug="tranemobostader")
    premises = _activity(period, 4)
    for day, summary in (
        (date(2021, 9, 8), "Öppet hus i lokalen i Solgårdsområdet för boende."),
        (date(2022, 3, 16), "Möte i lokalen med boende, kommunen och polisen om grannsamverkan."),
        (date(2022, 10, 5), "Öppet hus i lokalen i Solgårdsområdet för boende."),
    ):
        w.event(
            premises,
            day,
            username="tranemobostader",
            organisation=partner,
            place="Solgårdsområdet, Tranemo",
            summary=summary,
        )


# --- The running Tranås demo period --------------------------------------------------------------


def _month_end(year, month):
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def _tranas_running(w: _Writer, period):
    rng, police, kommun, today = w.rng, w.police, w.kommun(period), w.today
    cop, coordinator = "polis.hoglandet", "samordnare.tranas"
    start = period.starts_on
    last_year, this_year = start.year, start.year + 1
    year_start = date(this_year, 1, 1)
    year_days = (date(this_year, 12, 31) - year_start).days + 1
    elapsed = (today - year_start).days + 1

    # Traffic checks: achieved last year; this year one more than expected so far (on plan).
    traffic = _activity(period, 1)
    for day in w.days(start, date(last_year, 12, 31), 33):
        w.event(
            traffic,
            day,
            username=cop,
            organisation=police,
            place=rng.choice(TRANAS_TRAFFIC_PLACES),
            summary=_traffic_summary(rng),
        )
    last = None
    for day in w.days(year_start, today, min(29, 30 * elapsed // year_days + 1)):
        last = w.event(
            traffic,
            day,
            username=cop,
            organisation=police,
            place=rng.choice(TRANAS_TRAFFIC_PLACES),
            summary=_traffic_summary(rng),
        )
    duplicate = w.event(
        traffic, last.occurred_on, username=cop, organisation=police, summary=last.summary
    )
    w.retract(duplicate, username=cop, reason="Dubbelregistrerad.")

    # Targeted operations over the whole period: about half of what is expected (behind plan).
    operations = _activity(period, 2)
    period_days = (period.ends_on - start).days + 1
    expected = 15 * ((today - start).days + 1) // period_days
    for day in w.days(start, today, max(1, expected * 6 // 10)):
        w.event(
            operations,
            day,
            username=cop,
            organisation=police,
            place=rng.choice(TRANAS_CENTRE_PLACES),
            summary=_operation_summary(rng),
        )
    w.deviation(
        operations,
        start,
        username=cop,
        reason=DeviationReason.RESOURCES,
        text=(
            "Flera planerade insatser har fått stå tillbaka för andra ärenden. Fler insatser är "
            "inplanerade under resten av perioden."
        ),
    )

    lob = _activity(period, 3)
    for day in w.days(start, today, 8):
        w.event(
            lob,
            day,
            username=cop,
            organisation=police,
            place=rng.choice(TRANAS_CENTRE_PLACES),
            summary=_lob_summary(rng),
        )

    # Pub checks, one a month: every ended month but July last year and one more, none yet
    # this month.
    pubs = _activity(period, 4)
    ended_months = [
        (year, month)
        for year in (last_year, this_year)
        for month in range(1, 13)
        if _month_end(year, month) < today
    ]
    skipped = {(last_year, 7), rng.choice([m for m in ended_months if m != (last_year, 7)])}
    for year, month in ended_months:
        if (year, month) in skipped:
            continue
        first = date(year, month, 1)
        for day in w.days(first, _month_end(year, month), rng.choice([1, 1, 1, 2])):
            w.event(
                pubs,
                day,
                username=coordinator,
                organisation=kommun,
                place="Centrala Tranås",
                summary=_pub_summary(rng),
            )
    w.deviation(
        pubs,
        date(last_year, 7, 1),
        username=coordinator,
        reason=DeviationReason.PLANNING,
        text=(
            "Ingen krogkontroll under semesterperioden i juli. Kontrollerna återupptogs i augusti."
        ),
    )

    w.event(
        _activity(period, 5),
        date(last_year, 6, 3),
        username=coordinator,
        organisation=kommun,
        summary="Informationssatsning mot langning inför sommarlovet: brev till vårdnadshavare "
        "och nationell kampanj i kommunens kanaler.",
    )

    meetings = _activity(period, 6)
    for index, day in enumerate(w.days(start, today, 7)):
        w.event(
            meetings,
            day,
            username=coordinator,
            organisation=kommun,
            place="Kommunhuset, Tranås",
            summary=f"Samverkansmöte enligt {'SSPF' if index % 2 == 0 else 'EST'}.",
        )

    # Walks, two a tertial: achieved in ended tertials but the second of last year, one so far.
    walks = _activity(period, 7)
    for year in (last_year, this_year):
        for tertial in (1, 2, 3):
            first = date(year, (tertial - 1) * 4 + 1, 1)
            last_day = _month_end(year, tertial * 4)
            if first > today:
                continue
            running = last_day >= today
            count = 1 if running or (year, tertial) == (last_year, 2) else 2
            for day in w.days(first, min(last_day, today), count):
                w.event(
                    walks,
                    day,
                    username=coordinator,
                    organisation=kommun,
                    place=rng.choice(TRANAS_CENTRE_PLACES),
                    summary="Trygghetsvandring med polisen och boende i centrum.",
                )

    # Foot patrols, one a week: more than 53 last year; this year one more than expected.
    patrols = _activity(period, 8)
    for day in w.days(start, date(last_year, 12, 31), 56):
        w.event(
            patrols,
            day,
            username=cop,
            organisation=police,
            place=rng.choice(TRANAS_CENTRE_PLACES),
            summary="Fotpatrull i centrum.",
        )
    week_target = -(-year_days // 7)
    for day in w.days(
        year_start, today, min(week_target - 1, week_target * elapsed // year_days + 1)
    ):
        w.event(
            patrols,
            day,
            username=cop,
            organisation=police,
            place=rng.choice(TRANAS_CENTRE_PLACES),
            summary="Fotpatrull i centrum.",
        )

    # School visits on request: each request delivered about two weeks later, the last pending.
    visits = _activity(period, 9)
    requests = [
        day
        for day in (
            date(last_year, 2, 9),
            date(last_year, 9, 14),
            date(last_year, 11, 16),
            date(this_year, 1, 15),
        )
        if day <= today
    ]
    for index, day in enumerate(requests):
        w.event(
            visits,
            day,
            username=cop,
            organisation=police,
            kind=EventKind.REQUESTED,
            summary="En skola önskade besök om narkotika.",
        )
        if index < len(requests) - 1:
            w.event(
                visits,
                day + timedelta(days=16),
                username=cop,
                organisation=police,
                place="Skola i Tranås",
                summary="Besök i årskurs 9 om narkotika och hur man får hjälp.",
            )


# --- Loading -------------------------------------------------------------------------------------


def _managed_periods():
    keys = Q()
    for code, slug in demo_period_keys():
        keys |= Q(municipality__code=code, slug=slug)
    return PromisePeriod.objects.filter(keys)


def _delete_demo_follow_up():
    """Delete the demo follow-up of the periods load_demo writes, with its history rows.

    Events are otherwise never deleted; these are generated demo data, remade on every load. In
    the seed periods only rows marked as demo go; in the invented period everything goes, also
    what someone logged by hand while trying the demo out.
    """
    periods = _managed_periods()
    demo_rows = Q(activity__period__in=periods.filter(is_demo=True)) | Q(
        activity__period__in=periods, is_demo=True
    )
    for model in (FollowUpEvent, Deviation):
        model.objects.filter(demo_rows).delete()
        model.history.filter(demo_rows).delete()


@transaction.atomic
def load_demo(today: date | None = None) -> DemoSummary:
    """Load (or reload) the demo: staff accounts, the periods and their follow-up.

    ``today`` places the running demo period and is the date follow-up is logged "as of";
    nothing dated after it is written. All in one transaction: a failure leaves nothing behind.
    """
    today = today or timezone.localdate()
    _delete_demo_follow_up()
    users = load_demo_users()
    periods = load_demo_periods(today)

    writer = _Writer(random.Random(RANDOM_SEED), today, users)
    _tranas_2023(writer, periods[TRANAS_2023])
    _aneby_2023(writer, periods[ANEBY_2023])
    _tranemo_2021(writer, periods[TRANEMO_2021])
    _tranas_running(writer, periods[TRANAS_DEMO])

    events = FollowUpEvent.objects.filter(activity__period__in=periods.values())
    return DemoSummary(
        periods=len(periods),
        promises=sum(period.promises.count() for period in periods.values()),
        activities=sum(period.activities.count() for period in periods.values()),
        events=events.counting().count(),
        retracted=events.retracted().count(),
        deviations=Deviation.objects.filter(activity__period__in=periods.values()).count(),
    )
