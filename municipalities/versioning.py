"""The data version: one counter that every write of portal data moves on.

Public pages are keyed on it: their ETag (so a browser's conditional request gets 304 Not
Modified until the data changes) and their cached output. The counter is bumped by signals on
every save and delete of a model in the portal's apps, and on changes of their many-to-many
relations, in the same transaction as the write; code that writes without signals
(``bulk_create``, ``update``, raw SQL, as the synthetic data generator does) calls ``bump()``
itself. Reading the version is one query on a one-row table.
"""

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

# Writes in these apps change what the portal shows.
APPS = {"municipalities", "promises", "followup"}
ROW = 1


def bump() -> None:
    """Move the version on; inside the caller's transaction when there is one."""
    from municipalities.models import DataVersion

    if not DataVersion.objects.filter(pk=ROW).update(
        counter=F("counter") + 1, changed_at=timezone.now()
    ):
        DataVersion.objects.get_or_create(pk=ROW, defaults={"counter": 1})


def current() -> str:
    """The version now, as text: the counter and when it last moved (so a database restored
    from a backup, whose counter goes back, never matches a version seen before it)."""
    from municipalities.models import DataVersion

    row = DataVersion.objects.filter(pk=ROW).values_list("counter", "changed_at").first()
    if row is None:
        return "0"
    return f"{row[0]}.{row[1].timestamp():.6f}"


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
    if action is not None and not action.startswith("post_"):
        return
    bump()


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="data_version_save")
    post_delete.connect(_changed, dispatch_uid="data_version_delete")
    m2m_changed.connect(_changed, dispatch_uid="data_version_m2m")
