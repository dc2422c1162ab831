"""Small hand-written factories: real objects with sensible defaults, overridable by keyword.

Reference data (kommuner, län, regions, police areas, municipal organisations) is loaded by a
migration, so tests use the real Tranås, Aneby, Tyresö … rather than inventing kommuner.
"""

import itertools
from datetime import date

from django.contrib.auth import get_user_model

from followup.models import Deviation, DeviationReason, FollowUpEvent
from municipalities.models import Membership, Municipality, Organisation, OrganisationKind, Role
from promises.models import (
    Activity,
    Cadence,
    Promise,
    PromisePeriod,
    Signatory,
    TargetKind,
    Theme,
)

_sequence = itertools.count(1)


def municipality(code="0687"):
    """A real kommun from the reference data (Tranås by default)."""
    return Municipality.objects.get(code=code)


def municipal_organisation(code="0687"):
    return Organisation.objects.get(kind=OrganisationKind.MUNICIPALITY, municipality__code=code)


def police_organisation(area_name="Höglandet"):
    """A police organisation from the reference data (LPO Höglandet by default)."""
    return Organisation.objects.get(kind=OrganisationKind.POLICE, police_area__name=area_name)


def partner_organisation(name="Tranemobostäder", code="1452"):
    organisation, _ = Organisation.objects.get_or_create(
        slug=f"partner-{next(_sequence)}",
        defaults={
            "kind": OrganisationKind.PARTNER,
            "name": name,
            "municipality": municipality(code),
        },
    )
    return organisation


def user(username=None, **fields):
    username = username or f"user{next(_sequence)}"
    return get_user_model().objects.create_user(username=username, password="x", **fields)


def member(organisation, role=Role.REPORTER, username=None):
    """A user who is a member of the organisation with the role."""
    account = user(username)
    Membership.objects.create(user=account, organisation=organisation, role=role)
    return account


def period(
    municipality_code="0687",
    starts_on=date(2023, 1, 1),
    ends_on=date(2024, 12, 31),
    **fields,
):
    number = next(_sequence)
    fields.setdefault("title", f"Medborgarlöfte {starts_on.year}–{ends_on.year}")
    fields.setdefault("slug", f"{starts_on.year}-{ends_on.year}-{number}")
    fields.setdefault("is_published", True)
    return PromisePeriod.objects.create(
        municipality=municipality(municipality_code),
        starts_on=starts_on,
        ends_on=ends_on,
        **fields,
    )


def promise(period_=None, **fields):
    period_ = period_ or period()
    fields.setdefault("position", period_.promises.count() + 1)
    fields.setdefault("title", "Öka den upplevda tryggheten i centrala Tranås")
    fields.setdefault("theme", Theme.objects.get(slug="trygghet-i-offentlig-miljo"))
    return Promise.objects.create(period=period_, **fields)


def activity(
    period_=None,
    *,
    promise_=None,
    organisations=None,
    target_kind=TargetKind.COUNT,
    target_quantity=30,
    cadence=Cadence.YEAR,
    unit_singular="trafikkontroll",
    unit_plural="trafikkontroller",
    **fields,
):
    """A count activity ("minst 30 trafikkontroller per år") unless told otherwise."""
    period_ = period_ or (promise_.period if promise_ else period())
    if target_kind != TargetKind.COUNT:
        target_quantity, cadence, unit_singular, unit_plural = None, "", "", ""
    fields.setdefault("position", period_.activities.count() + 1)
    fields.setdefault("description", "Polisen genomför trafikkontroller.")
    created = Activity.objects.create(
        period=period_,
        promise=promise_,
        target_kind=target_kind,
        target_quantity=target_quantity,
        cadence=cadence,
        unit_singular=unit_singular,
        unit_plural=unit_plural,
        **fields,
    )
    created.responsible_organisations.set(organisations or [police_organisation()])
    return created


def logger():
    """The user who logs events in tests that do not care who logged them: a superuser, so it
    may record any of an activity's responsible organisations as the doer."""
    account, _ = get_user_model().objects.get_or_create(
        username="logger", defaults={"is_superuser": True}
    )
    return account


def event(activity_, occurred_on, quantity=1, *, by=None, organisation=None, **fields):
    """An event written directly (bypassing the service), for arranging progress tests."""
    return FollowUpEvent.objects.create(
        activity=activity_,
        occurred_on=occurred_on,
        quantity=quantity,
        organisation=organisation or activity_.responsible_organisations.first(),
        logged_by=by or logger(),
        **fields,
    )


def deviation(activity_, bucket_start, *, by=None, **fields):
    fields.setdefault("reason", DeviationReason.RESOURCES)
    fields.setdefault("text", "Resurserna gick till en större insats.")
    return Deviation.objects.create(
        activity=activity_, bucket_start=bucket_start, created_by=by or user(), **fields
    )


def signatory(period_, organisation, **fields):
    fields.setdefault("position", period_.signatories.count() + 1)
    fields.setdefault("name", "Beata Allen")
    fields.setdefault("title", "Kommunstyrelsens ordförande")
    return Signatory.objects.create(period=period_, organisation=organisation, **fields)


def situation_source(period_, **fields):
    from promises.models import SituationSource, SourceKind

    fields.setdefault("kind", SourceKind.SAFETY_SURVEY)
    fields.setdefault("description", "Trygghetsmätning 2022")
    return SituationSource.objects.create(period=period_, **fields)


def superuser(username=None):
    username = username or f"admin{next(_sequence)}"
    return get_user_model().objects.create_superuser(username=username, password="x")


def running_period(municipality_code="0687", **fields):
    """A published period in force today: 1 January this year to 31 December next year.

    Adopted unless told otherwise (a draft is never published, and events are logged only on
    adopted periods); not active, since a kommun has at most one active period."""
    from django.utils import timezone

    from promises.models import PeriodStatus

    today = timezone.localdate()
    fields.setdefault("status", PeriodStatus.ADOPTED)
    return period(
        municipality_code,
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year + 1, 12, 31),
        **fields,
    )


def period_with_work(municipality_code="0687", *, activities=1, events=1, period_=None, **fields):
    """A published period with one promise, count activities under it and events on each.

    Events fall on the first days of the period, one unit each.
    """
    period_ = period_ or period(municipality_code, **fields)
    promise_ = promise(period_)
    for number in range(activities):
        created = activity(period_, promise_=promise_, description=f"Aktivitet {number + 1}.")
        for day in range(events):
            event(created, date(period_.starts_on.year, 1, 1 + day % 28), place=f"Plats {day}")
    return period_


def decision_memo(period_=None, **fields):
    """A complete draft memo (every field the format requires is filled), ready to finalise."""
    from promises.models import DecisionMemo

    period_ = period_ or period()
    fields.setdefault("version", (period_.memos.count() or 0) + 1)
    fields.setdefault("department", "Kommunledningsförvaltningen")
    fields.setdefault("officer_name", "Martin Palmqvist")
    fields.setdefault("officer_title", "Säkerhetssamordnare")
    fields.setdefault("officer_phone", "0140-683 13")
    fields.setdefault("officer_email", "martin.palmqvist@tranås.se")
    fields.setdefault("recipient", "Kommunstyrelsen")
    fields.setdefault("memo_date", date(2023, 3, 24))
    fields.setdefault("reference", "KS 2023/0042")
    fields.setdefault("title", "Medborgarlöfte mellan polisen och Tranås kommun 2023-2024")
    fields.setdefault(
        "clauses",
        [
            {
                "text": "anta följande medborgarlöften för åren 2023-2024:",
                "items": ["öka den upplevda tryggheten i de centrala delarna av Tranås,"],
            }
        ],
    )
    fields.setdefault("summary", "Kommunen och polisen formulerar tvååriga medborgarlöften.")
    fields.setdefault("signatures", [{"name": "Pär Thudeen", "title": "Kommundirektör"}])
    return DecisionMemo.objects.create(period=period_, **fields)
