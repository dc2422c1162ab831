"""Data versions: counters that every write of portal data moves on, per kommun and nationally.

Public pages are keyed on them: their ETag (so a browser's conditional request gets 304 Not
Modified until the data changes) and their cached output. There are three kinds of counter, each
a row of ``DataVersion``:

- ``national`` moves on with every write. The national pages (the index, the national feed, a
  theme, the national downloads) are keyed on it.
- ``kommun:<slug>`` moves on with every write of one kommun's data: its periods, promises,
  activities, events, deviations, reports, signatories and sources.
- ``reference`` moves on with every write of what all kommuner share: kommuner themselves,
  counties, police areas, organisations, themes; and with any write whose kommun is not known
  (a delete, a restored backup, the synthetic data generator's bulk writes).

A kommun's pages (the kommun, its periods and activities, its feed and downloads) are keyed on
its own counter and ``reference``, so an event logged in Tranås renews Tranås' pages and the
national ones, and leaves the other 289 kommuner's cached pages as they are.

The counters are bumped by signals on every save and delete of a model in the portal's apps, and
on changes of their many-to-many relations, in the same transaction as the write; code that
writes without signals (``bulk_create``, ``update``, raw SQL) or loads fixtures (raw saves are
left alone, as a fixture may hold the version rows themselves) calls ``bump()`` itself. Reading
a page's version is one query.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

# Writes in these apps change what the portal shows.
APPS = {"municipalities", "promises", "followup"}
NATIONAL = "national"
REFERENCE = "reference"

# From a row of these models to the slug of its kommun. A period's own save bumps the reference
# instead: its kommun could have been changed, and the old kommun's pages must not keep it.
KOMMUN_PATHS = {
    "promises.promise": "period__municipality__slug",
    "promises.activity": "period__municipality__slug",
    "promises.signatory": "period__municipality__slug",
    "promises.situationsource": "period__municipality__slug",
    "promises.decisionmemo": "period__municipality__slug",
    "followup.followupevent": "activity__period__municipality__slug",
    "followup.deviation": "activity__period__municipality__slug",
    "followup.followupreport": "period__municipality__slug",
}


def kommun_scope(slug: str) -> str:
    return f"kommun:{slug}"


def bump(municipality_slugs: Iterable[str] | None = None) -> None:
    """Move the versions on, inside the caller's transaction when there is one.

    With kommun slugs, the national version and those kommuner's; without, the national and
    the reference version, which renews every page. Rows are always locked in the same order
    (national first), so two concurrent writers never deadlock on them.
    """
    if municipality_slugs is None:
        scopes = [REFERENCE]
    else:
        scopes = sorted({kommun_scope(slug) for slug in municipality_slugs})
    for scope in [NATIONAL, *scopes]:
        _bump_scope(scope)


def _bump_scope(scope: str) -> None:
    from municipalities.models import DataVersion

    def move_on():
        return DataVersion.objects.filter(scope=scope).update(
            counter=F("counter") + 1, changed_at=timezone.now()
        )

    if move_on():
        return
    try:
        with transaction.atomic():  # a savepoint: a concurrent first write may win the insert
            DataVersion.objects.create(scope=scope, counter=1)
    except IntegrityError:
        move_on()


def current(municipality_slug: str | None = None) -> str:
    """The version a page is keyed on, as text: the national version, or with a kommun's slug
    that kommun's and the reference version.

    Each counter comes with when it last moved, so a database restored from a backup, whose
    counters go back, never matches a version seen before it.
    """
    from municipalities.models import DataVersion

    if municipality_slug is None:
        scopes = [NATIONAL]
    else:
        scopes = [REFERENCE, kommun_scope(municipality_slug)]
    versions = DataVersion.objects.filter(scope__in=scopes)
    rows = {
        scope: (counter, changed_at)
        for scope, counter, changed_at in versions.values_list("scope", "counter", "changed_at")
    }
    parts = []
    for scope in scopes:
        counter, changed_at = rows.get(scope, (0, None))
        stamp = f"{changed_at.timestamp():.6f}" if changed_at else "0"
        parts.append(f"{counter}.{stamp}")
    return "/".join(parts)


def _kommun_slug(sender, pk, path=None) -> str | None:
    """The slug of the kommun whose data the row is, as the database has it now."""
    path = path or KOMMUN_PATHS.get(sender._meta.label_lower)
    if path is None or pk is None:
        return None
    return sender._base_manager.filter(pk=pk).values_list(path, flat=True).first()


def _kommun_of(sender, instance) -> list[str] | None:
    """The kommuner whose data the saved row is: its kommun now and, if an edit moved it (say an
    activity to another period in the admin), the kommun it was in before. None when the row is
    not one kommun's data."""
    now = _kommun_slug(sender, instance.pk)
    before = getattr(instance, "_kommun_before_save", None)
    if now is None:
        return None
    return [now] if before in (None, now) else [now, before]


def _remember_kommun(sender, instance, raw=False, **kwargs):
    """Before an edit is written: which kommun the row belongs to until then."""
    if raw or sender._meta.label_lower not in KOMMUN_PATHS or instance._state.adding:
        return
    instance._kommun_before_save = _kommun_slug(sender, instance.pk)


def _m2m_kommun(instance) -> list[str] | None:
    """An activity's responsible organisations or a period's partners: that kommun's data."""
    from promises.models import Activity, PromisePeriod

    if isinstance(instance, Activity):
        return _kommun_of(Activity, instance)
    if isinstance(instance, PromisePeriod):
        slug = _kommun_slug(PromisePeriod, instance.pk, path="municipality__slug")
        return [slug] if slug else None
    return None  # from the organisation's side: shared data


def _changed(sender, **kwargs):
    meta = sender._meta
    # Models of a migration's historical state (data migrations) are not the live ones.
    if sender.__module__ == "__fake__":
        return
    if meta.app_label not in APPS or meta.model_name == "dataversion":
        return
    # simple-history's copies are written beside the real row, which bumps already.
    if meta.model_name.startswith("historical"):
        return
    action = kwargs.get("action")  # m2m_changed only: act after the change, not before
    if action is not None:
        if action.startswith("post_"):
            bump(_m2m_kommun(kwargs["instance"]))
        return
    if kwargs.get("raw"):
        # A fixture being loaded (restore_data, a test database's serialized state) may hold
        # the version rows themselves; whoever loads it bumps once at the end.
        return
    if "created" in kwargs:  # post_save; post_delete has no "created"
        bump(_kommun_of(sender, kwargs["instance"]))
    else:
        bump()  # a delete: the row is gone, so which kommun is not known; renew every page


def connect() -> None:
    pre_save.connect(_remember_kommun, dispatch_uid="data_version_before_save")
    post_save.connect(_changed, dispatch_uid="data_version_save")
    post_delete.connect(_changed, dispatch_uid="data_version_delete")
    m2m_changed.connect(_changed, dispatch_uid="data_version_m2m")
