"""The demo: data files in ``data/`` read and written to the database by ``manage.py load_demo``.

- ``accounts.toml``: the demo staff accounts and the organisations the reference data lacks;
- one file per period: the four seed documents of ``shared/seeds`` transcribed (published, not
  demo data) with their memos, and an invented running period for Tranås (``is_demo``);
- ``follow-up.toml``: invented events, retractions and deviations (``follow_ups.py`` writes them).

Loading is idempotent. Accounts, organisations, periods and everything below a period are matched
on natural keys and only saved when something differs, so a second load changes nothing, not
even the history; the demo follow-up and the demo memos are deleted and written anew.
"""

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from followup.demo.follow_ups import relative_day, write_follow_up
from followup.models import Deviation, FollowUpEvent
from municipalities import versioning
from municipalities.models import (
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    PoliceArea,
    Role,
)
from promises.memos.services import finalise_memo
from promises.models import (
    Activity,
    Cadence,
    ClauseStyle,
    DecisionMemo,
    MemoStatus,
    PeriodStatus,
    Promise,
    PromisePeriod,
    Signatory,
    SituationSource,
    SourceKind,
    TargetKind,
    Theme,
)

DATA = Path(__file__).with_name("data")
PERIOD_FILES = [
    "tranas-2023-2024",
    "aneby-2023-2024",
    "tranemo-2021-2022",
    "tyreso-2018",
    "tranas-demo-pagaende",
]


def read(name: str) -> dict:
    """One data file, parsed; multi-line texts lose the line breaks around them."""
    with open(DATA / f"{name}.toml", "rb") as file:
        return _strip(tomllib.load(file))


def _strip(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [_strip(item) for item in value]
    if isinstance(value, dict):
        return {key: _strip(item) for key, item in value.items()}
    return value


ACCOUNTS = read("accounts")
DEMO_PASSWORD = ACCOUNTS["password"]
DEMO_USERNAMES = [user["username"] for user in ACCOUNTS["users"]]


def period_data(name: str) -> dict:
    """A period file; one ``based_on`` another takes that one's fields it does not set itself
    (never its memo)."""
    data = read(name)
    if "based_on" in data:
        base = read(data.pop("based_on"))
        base.pop("memo", None)
        data = base | data
    return data


def memo_fields(name: str) -> dict:
    """The DecisionMemo fields of a period file's memo (what is not a field left out)."""
    memo = dict(read(name)["memo"])
    memo.pop("written_by")
    memo.pop("finalise")
    memo["clause_style"] = ClauseStyle(memo["clause_style"])
    return memo


# --- Accounts ------------------------------------------------------------------------------------


def _organisation(lookup: dict) -> Organisation:
    if "police_area" in lookup:
        return Organisation.objects.get(
            kind=OrganisationKind.POLICE, police_area__name=lookup["police_area"]
        )
    if "kommun" in lookup:
        return Organisation.objects.get(
            kind=OrganisationKind.MUNICIPALITY, municipality__code=lookup["kommun"]
        )
    return Organisation.objects.get(slug=lookup["slug"])


def _load_organisations():
    for spec in ACCOUNTS["organisations"]:
        Organisation.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "kind": OrganisationKind(spec["kind"]),
                "name": spec["name"],
                "municipality": Municipality.objects.get(code=spec["kommun"]),
                "police_area": None,
            },
        )


def _password_hash(User) -> str:
    """One hash of the demo password for every demo account.

    Hashing is deliberately slow (seconds per account with Django's default PBKDF2), so it is
    done at most once per load: an existing demo account's hash is reused when it still matches
    the password, which also keeps a second load from changing anything.
    """
    hashes = User.objects.filter(username__in=DEMO_USERNAMES).values_list("password", flat=True)
    for existing in set(hashes):
        if existing and check_password(DEMO_PASSWORD, existing):
            return existing
    return make_password(DEMO_PASSWORD)


def _load_users() -> dict:
    """The demo accounts, each with exactly its one membership and the shared password."""
    User = get_user_model()
    password_hash = _password_hash(User)
    users = {}
    for spec in ACCOUNTS["users"]:
        superuser = spec.get("superuser", False)
        first_name, last_name = spec["name"]
        user, _ = User.objects.update_or_create(
            username=spec["username"],
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{spec['username']}@{ACCOUNTS['email_domain']}",
                "is_active": True,
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if user.password != password_hash:
            user.password = password_hash
            user.save(update_fields=["password"])
        organisation = _organisation(spec["organisation"]) if "organisation" in spec else None
        user.memberships.exclude(organisation=organisation).delete()
        if organisation is not None:
            Membership.objects.update_or_create(
                user=user, organisation=organisation, defaults={"role": Role(spec["role"])}
            )
        users[spec["username"]] = user
    return users


def logins_table() -> list[dict[str, str]]:
    """Rows for printing: username, role, organisation, password (all demo accounts)."""
    rows = []
    for spec in ACCOUNTS["users"]:
        if "organisation" in spec:
            role, organisation = Role(spec["role"]).label, _organisation(spec["organisation"]).name
        else:
            role, organisation = "Superanvändare", "–"
        rows.append(
            {
                "username": spec["username"],
                "role": str(role),
                "organisation": organisation,
                "password": DEMO_PASSWORD,
                "description": spec["description"],
            }
        )
    return rows


# --- Periods -------------------------------------------------------------------------------------


def _upsert(model, lookup: dict, values: dict):
    """Get or create by ``lookup``; save only when a value differs (keeps the history quiet)."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed)
    return instance


def _set_m2m(manager, organisations):
    if set(manager.values_list("pk", flat=True)) != {o.pk for o in organisations}:
        manager.set(organisations)


def _parties(data, period) -> dict:
    """Who "police" and "kommun" are in a period file; any other party is an organisation slug."""
    police = Organisation.objects.filter(kind=OrganisationKind.POLICE)
    return {
        "kommun": Organisation.objects.get(
            kind=OrganisationKind.MUNICIPALITY, municipality=period.municipality
        ),
        "police": police.get(slug=data["police"])
        if "police" in data
        else police.get(police_area=period.police_area),
    }


def _party(parties, name) -> Organisation:
    return parties.get(name) or Organisation.objects.get(slug=name)


def _period_values(data, today) -> dict:
    return {
        "police_area": PoliceArea.objects.get(name=data["police_area"])
        if "police_area" in data
        else None,
        "title": data["title"],
        "starts_on": relative_day(data["starts_on"], today),
        "ends_on": relative_day(data["ends_on"], today),
        "status": PeriodStatus(data["status"]),
        "adopted_on": None,
        "decision_reference": data.get("decision_reference", ""),
        "introduction": data.get("introduction", ""),
        "situation_picture": data.get("situation_picture", ""),
        "follow_up_text": data.get("follow_up_text", ""),
        "signed_on": data.get("signed_on"),
        "signed_place": data.get("signed_place", ""),
        "police_monthly_counts_only": False,
        "is_published": True,
        "is_demo": data.get("is_demo", False),
    }


def _activity_values(spec, promises) -> dict:
    unit_singular, unit_plural = spec.get("unit", ["", ""])
    return {
        "promise": promises.get(spec.get("promise")),
        "description": spec["description"],
        "target_kind": TargetKind(spec.get("target", TargetKind.ONGOING)),
        "target_quantity": spec.get("quantity"),
        "unit_singular": unit_singular,
        "unit_plural": unit_plural,
        "cadence": Cadence(spec["cadence"]) if "cadence" in spec else "",
    }


def _load_period(data, today) -> PromisePeriod:
    municipality = Municipality.objects.get(code=data["kommun"])
    period = _upsert(
        PromisePeriod,
        {"municipality": municipality, "slug": data["slug"]},
        _period_values(data, today),
    )
    parties = _parties(data, period)
    _set_m2m(period.partners, [_party(parties, slug) for slug in data.get("partners", [])])

    sources = [(SourceKind(s["kind"]), s["description"]) for s in data.get("sources", [])]
    if list(period.sources.values_list("kind", "description")) != sources:
        period.sources.all().delete()
        SituationSource.objects.bulk_create(
            SituationSource(period=period, kind=kind, description=description)
            for kind, description in sources
        )

    promises = {}
    for position, spec in enumerate(data["promises"], start=1):
        promises[position] = _upsert(
            Promise,
            {"period": period, "position": position},
            {
                "title": spec["title"],
                "text": spec.get("text", ""),
                "theme": Theme.objects.get(slug=spec["theme"]),
                "target_group": spec.get("target_group", ""),
            },
        )
    period.promises.filter(position__gt=len(promises)).delete()

    for position, spec in enumerate(data["activities"], start=1):
        activity = _upsert(
            Activity, {"period": period, "position": position}, _activity_values(spec, promises)
        )
        _set_m2m(
            activity.responsible_organisations,
            [_party(parties, name) for name in spec["responsible"]],
        )
    # The demo events of a dropped activity are already gone (deleted before the load).
    period.activities.filter(position__gt=len(data["activities"])).delete()

    signatories = data.get("signatories", [])
    for position, spec in enumerate(signatories, start=1):
        _upsert(
            Signatory,
            {"period": period, "position": position},
            {
                "name": spec["name"],
                "title": spec["title"],
                "organisation": _party(parties, spec["party"]),
            },
        )
    period.signatories.filter(position__gt=len(signatories)).delete()
    return period


def _managed_periods():
    """The periods of the data files, as they are in the database."""
    keys = Q()
    for name in PERIOD_FILES:
        data = period_data(name)
        keys |= Q(municipality__code=data["kommun"], slug=data["slug"])
    return PromisePeriod.objects.filter(keys)


def _delete_demo_follow_up():
    """Delete the demo follow-up of the data files' periods, with its history rows.

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


# --- Memos ---------------------------------------------------------------------------------------


def _write_memos() -> list[DecisionMemo]:
    """(Re)write the memos of the period files; a memo someone made by hand is kept.

    Each memo is written (and finalised, if its file says so) by the account its file names.
    The demo draft is skipped where that period already has a draft of its own.
    """
    plan = []
    for name in PERIOD_FILES:
        data = period_data(name)
        if "memo" in data:
            period = PromisePeriod.objects.get(municipality__code=data["kommun"], slug=data["slug"])
            plan.append((period, data["memo"], memo_fields(name)))
    periods = [period for period, *_ in plan]
    for memo in DecisionMemo.objects.filter(period__in=periods, is_demo=True):
        if memo.pdf:
            memo.pdf.storage.delete(memo.pdf.name)
    DecisionMemo.history.filter(period__in=periods, is_demo=True).delete()
    DecisionMemo.objects.filter(period__in=periods, is_demo=True).delete()

    memos = []
    for period, spec, fields in plan:
        if period.memos.filter(status=MemoStatus.DRAFT).exists():
            continue
        by = get_user_model().objects.get(username=spec["written_by"])
        latest = period.memos.aggregate(latest=Max("version"))["latest"] or 0
        memo = DecisionMemo(period=period, version=latest + 1, is_demo=True, **fields)
        memo._history_user = by
        memo.save()
        memos.append(finalise_memo(memo, by=by) if spec["finalise"] else memo)
    return memos


@transaction.atomic
def load_demo_memos() -> list[DecisionMemo]:
    """(Re)write the demo memos alone; the periods and accounts must be loaded already.

    Side effects: deletes the earlier demo memos of those periods (their stored PDFs and history
    rows too), writes the memos anew, and renews every cached page's data version.
    """
    memos = _write_memos()
    versioning.bump()
    return memos


# --- The whole demo ------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    periods: int
    promises: int
    activities: int
    events: int
    retracted: int
    deviations: int
    memos: int


@transaction.atomic
def load_demo(today: date | None = None) -> DemoSummary:
    """Load (or reload) the whole demo: accounts, periods, follow-up and memos.

    ``today`` places the running demo period and is the date follow-up is logged "as of";
    nothing dated after it is written (default: today's local date). Side effects: everything
    above, in one transaction (a failure leaves nothing behind), then one renewal of every
    cached page's data version.
    """
    today = today or timezone.localdate()
    _delete_demo_follow_up()
    _load_organisations()
    users = _load_users()
    periods = {name: _load_period(period_data(name), today) for name in PERIOD_FILES}
    plans = read("follow-up")
    write_follow_up(plans["plans"], plans["pools"], periods, users, today)
    memos = _write_memos()
    versioning.bump()

    events = FollowUpEvent.objects.filter(activity__period__in=periods.values())
    return DemoSummary(
        periods=len(periods),
        promises=Promise.objects.filter(period__in=periods.values()).count(),
        activities=Activity.objects.filter(period__in=periods.values()).count(),
        events=events.counting().count(),
        retracted=events.retracted().count(),
        deviations=Deviation.objects.filter(activity__period__in=periods.values()).count(),
        memos=len(memos),
    )
