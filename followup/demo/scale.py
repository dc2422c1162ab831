"""A synthetic national data set for performance work: every kommun, many years, many events.

Everything made here is marked: periods have slugs starting with ``skala-`` and ``is_demo=True``
(so public pages label them as examples), organisations made for it have slugs starting with
``skala-``, and events are ``is_demo=True``. ``reset_scale_data`` removes exactly that.

Rows are written with ``bulk_create`` in large batches and no per-row history, so a million
events take minutes, not hours. The shapes follow real promises: two-year periods, 2–4 promises
a period, 3–8 activities a promise, every target kind and cadence, events spread over time up to
today, about one in a hundred retracted.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from followup.models import ActivityYearTotal, EventKind, FollowUpEvent
from municipalities import versioning
from municipalities.models import Municipality, Organisation, OrganisationKind
from promises.models import Activity, Cadence, Promise, PromisePeriod, TargetKind, Theme

SLUG_PREFIX = "skala-"
USERNAME = "skaldata"
BATCH = 5000

# (kind, cadence, quantity range, singular, plural, description) — the activity shapes we draw.
SHAPES = [
    (
        TargetKind.COUNT,
        Cadence.YEAR,
        (10, 40),
        "trafikkontroll",
        "trafikkontroller",
        "Polisen genomför trafikkontroller i kommunen.",
    ),
    (
        TargetKind.COUNT,
        Cadence.PERIOD,
        (5, 20),
        "riktad insats",
        "riktade insatser",
        "Polisen genomför riktade insatser mot narkotikabrott bland unga.",
    ),
    (
        TargetKind.COUNT,
        Cadence.TERTIAL,
        (1, 4),
        "trygghetsvandring",
        "trygghetsvandringar",
        "Kommunen genomför trygghetsvandringar tillsammans med polisen.",
    ),
    (
        TargetKind.COUNT,
        Cadence.MONTH,
        (1, 3),
        "krogkontroll",
        "krogkontroller",
        "Kommunen och polisen genomför krogkontroller.",
    ),
    (
        TargetKind.COUNT,
        Cadence.WEEK,
        (1, 3),
        "fotpatrull",
        "fotpatruller",
        "Polisen patrullerar till fots i centrum.",
    ),
    (
        TargetKind.COUNT,
        Cadence.DAY,
        (1, 1),
        "kontakt",
        "kontakter",
        "Polisen har kontaktskapande samtal med unga.",
    ),
    (TargetKind.MILESTONE, "", None, "", "", "Kommunen öppnar en mötesplats för boende."),
    (TargetKind.ONGOING, "", None, "", "", "Samverkan enligt modellen EST."),
    (TargetKind.ON_REQUEST, "", None, "", "", "Polisen besöker skolor när de önskar det."),
]


@dataclass
class ScaleSummary:
    municipalities: int = 0
    periods: int = 0
    promises: int = 0
    activities: int = 0
    events: int = 0
    retracted: int = 0


def reset_scale_data() -> None:
    """Remove everything a previous run made (and nothing else), in one transaction."""
    with transaction.atomic():
        periods = PromisePeriod.objects.filter(slug__startswith=SLUG_PREFIX)
        activity_ids = Activity.objects.filter(period__in=periods).values("pk")
        # A plain DELETE: the ORM's collector would load a million events (for the history
        # receivers) before deleting them.
        events = FollowUpEvent._meta.db_table
        query, params = activity_ids.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {events} WHERE activity_id IN ({query})", params)
        # The triggers leave those activities' yearly totals at zero; they go with them.
        ActivityYearTotal.objects.filter(activity__in=activity_ids)._raw_delete(connection.alias)
        Activity.responsible_organisations.through.objects.filter(
            activity__period__in=periods
        ).delete()
        Activity.objects.filter(period__in=periods)._raw_delete(connection.alias)
        Promise.objects.filter(period__in=periods)._raw_delete(connection.alias)
        PromisePeriod.partners.through.objects.filter(promiseperiod__in=periods).delete()
        periods._raw_delete(connection.alias)
        Organisation.objects.filter(slug__startswith=SLUG_PREFIX).delete()
        versioning.bump()


def _police_by_municipality(municipalities) -> dict[int, Organisation]:
    """The police organisation of each kommun: its LPO's, or a synthetic one where unknown."""
    police = {}
    for organisation in Organisation.objects.police().prefetch_related(
        "police_area__municipalities"
    ):
        if organisation.police_area:
            for municipality in organisation.police_area.municipalities.all():
                police.setdefault(municipality.pk, organisation)
    missing = [m for m in municipalities if m.pk not in police]
    created = Organisation.objects.bulk_create(
        [
            Organisation(
                kind=OrganisationKind.POLICE,
                name=f"Polisen i {m.name} (syntetisk)",
                slug=f"{SLUG_PREFIX}polisen-{m.slug}",
                municipality=m,
            )
            for m in missing
        ]
    )
    police.update({organisation.municipality_id: organisation for organisation in created})
    return police


def _event_dates(rng, period, today, count):
    last = min(period.ends_on, today)
    span = (last - period.starts_on).days
    if span < 0:
        return []
    return [period.starts_on + timedelta(days=rng.randint(0, span)) for _ in range(count)]


def generate_scale_data(
    *,
    municipalities: int = 290,
    years: int = 10,
    events: int = 1_000_000,
    seed: int = 2026,
    today: date | None = None,
    progress=None,
) -> ScaleSummary:
    """Make two-year periods for ``years`` years in the first ``municipalities`` kommuner and
    about ``events`` follow-up events spread over their activities. Deterministic for a seed."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    summary = ScaleSummary()
    user, _ = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"is_active": False}
    )
    themes = list(Theme.objects.all())
    kommuner = list(Municipality.objects.order_by("code")[:municipalities])
    kommun_orgs = {
        o.municipality_id: o
        for o in Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    }
    police = _police_by_municipality(kommuner)
    first_year = today.year - years + 1

    with transaction.atomic():
        periods = PromisePeriod.objects.bulk_create(
            [
                PromisePeriod(
                    municipality=kommun,
                    title=f"Medborgarlöfte {year}–{year + 1} (syntetiskt)",
                    slug=f"{SLUG_PREFIX}{year}-{year + 1}",
                    starts_on=date(year, 1, 1),
                    ends_on=date(year + 1, 12, 31),
                    status="concluded" if year + 1 < today.year else "active",
                    situation_picture="Syntetisk lägesbild för prestandamätning.",
                    is_published=True,
                    is_demo=True,
                )
                for kommun in kommuner
                for year in range(first_year, today.year + 1, 2)
            ],
            batch_size=BATCH,
        )
        summary.municipalities, summary.periods = len(kommuner), len(periods)

        promises, activity_rows = [], []
        for period in periods:
            for position in range(1, rng.randint(2, 4) + 1):
                promise = Promise(
                    period=period,
                    position=position,
                    title=f"Löfte {position}: öka tryggheten",
                    theme=rng.choice(themes),
                )
                promises.append(promise)
                activity_rows.append((promise, rng.randint(3, 8)))
        Promise.objects.bulk_create(promises, batch_size=BATCH)
        summary.promises = len(promises)

        activities, owners = [], []
        positions = defaultdict(int)  # an activity's position is within its period
        for promise, count in activity_rows:
            period = promise.period
            for _ in range(count):
                positions[period.pk] += 1
                kind, cadence, quantities, singular, plural, text = rng.choice(SHAPES)
                activities.append(
                    Activity(
                        period=period,
                        promise=promise,
                        position=positions[period.pk],
                        description=text,
                        target_kind=kind,
                        target_quantity=rng.randint(*quantities) if quantities else None,
                        cadence=cadence,
                        unit_singular=singular,
                        unit_plural=plural,
                    )
                )
                owner = (
                    police[period.municipality_id]
                    if rng.random() < 0.6
                    else kommun_orgs[period.municipality_id]
                )
                owners.append(owner)
        Activity.objects.bulk_create(activities, batch_size=BATCH)
        Through = Activity.responsible_organisations.through
        Through.objects.bulk_create(
            [
                Through(activity_id=activity.pk, organisation_id=owner.pk)
                for activity, owner in zip(activities, owners, strict=True)
            ],
            batch_size=BATCH,
        )
        summary.activities = len(activities)

        per_activity = max(1, events // max(1, len(activities)))
        now = timezone.now()
        logged = _logged_at(now)
        batch = []
        for activity, owner in zip(activities, owners, strict=True):
            count = rng.randint(per_activity // 2, per_activity * 3 // 2)
            for day in _event_dates(rng, activity.period, today, count):
                retracted = rng.random() < 0.01
                batch.append(
                    FollowUpEvent(
                        activity=activity,
                        kind=EventKind.REQUESTED
                        if activity.target_kind == TargetKind.ON_REQUEST and rng.random() < 0.5
                        else EventKind.DONE,
                        occurred_on=day,
                        quantity=rng.choice((1, 1, 1, 2, 3))
                        if activity.target_kind == TargetKind.COUNT
                        else 1,
                        organisation=owner,
                        place=rng.choice(("", "Centrum", "Resecentrum", "Skolan")),
                        summary="Genomfört enligt plan.",
                        logged_by=user,
                        logged_at=logged(day),
                        retracted_at=now if retracted else None,
                        retracted_by=user if retracted else None,
                        retraction_reason="Dubbelregistrerad." if retracted else "",
                        is_demo=True,
                    )
                )
                summary.retracted += retracted
            if len(batch) >= BATCH:
                summary.events += _flush(batch, progress, summary.events)
        summary.events += _flush(batch, progress, summary.events)
        # Rows in every kommun: renew every page at once rather than 290 kommuner one by one.
        versioning.bump()
    return summary


def _logged_at(now):
    """When an event of a day was logged: that afternoon, as a reporter would (never later than
    now), so that reports "as of" a day count the events logged by then."""
    days = {}

    def logged(day: date) -> datetime:
        if day not in days:
            afternoon = timezone.make_aware(datetime.combine(day, time(16)))
            days[day] = min(afternoon, now)
        return days[day]

    return logged


def _flush(batch, progress, written) -> int:
    FollowUpEvent.objects.bulk_create(batch, batch_size=BATCH)
    count = len(batch)
    batch.clear()
    if progress:
        progress(written + count)
    return count
