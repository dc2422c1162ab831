"""Every write of shared reference data and of memberships: the admin's saves and deletes, and
the reference data loader.

Reference data (län, polisregioner, kommuner, lokalpolisområden, organisations, and the themes
of ``promises``) is shown on every public page, so each write here renews the shared reference
version (``municipalities.versioning.renew_reference``) in the same transaction, which renews
every cached page. These services know nothing of the models they are given beyond ``save()``
and ``delete()``, so ``promises`` may pass its themes without this app knowing ``promises``.

Each runs in one transaction and takes the acting user as the keyword-only ``by`` (``None`` for
the command-line loader). The admin validates its forms before calling them; they validate
nothing of their own.
"""

from django.apps import apps
from django.db import transaction

from municipalities import reference, versioning
from municipalities.models import Membership


@transaction.atomic
def save_reference_object(obj, *, by):
    """Create or change one row of shared reference data.

    Side effects: the row is saved (with a history entry by ``by`` where the model keeps
    history, as themes do); the reference version is renewed.
    """
    obj._history_user = by
    obj.save()
    versioning.renew_reference()
    return obj


@transaction.atomic
def delete_reference_objects(objects, *, by) -> None:
    """Delete rows of shared reference data (a queryset or a list of one model's rows).

    Side effects: the rows and what cascades from them are deleted (a protected row refuses
    with ``ProtectedError`` and nothing is deleted); the reference version is renewed.
    """
    for obj in list(objects):
        obj._history_user = by
        obj.delete()
    versioning.renew_reference()


@transaction.atomic
def save_membership(membership: Membership, *, by) -> Membership:
    """Give a user a role in an organisation, or change it.

    Side effects: the membership is saved with a history entry by ``by`` (who was given which
    role, by whom); the reference version is renewed (who belongs where is shared data, not
    one kommun's).
    """
    membership._history_user = by
    membership.save()
    versioning.renew_reference()
    return membership


@transaction.atomic
def delete_memberships(memberships, *, by) -> None:
    """Take users' roles away (a queryset or a list of memberships).

    Side effects: the memberships are deleted, each with a history entry by ``by`` (who lost
    which role, by whom); the reference version is renewed.
    """
    for membership in list(memberships):
        membership._history_user = by
        membership.delete()
    versioning.renew_reference()


@transaction.atomic
def load_reference_data(*, by=None) -> None:
    """Load or update all kommuner, län, polisregioner, lokalpolisområden and the kommuner's
    own organisations from the CSV files (idempotent, see ``municipalities.reference``).

    Side effects: reference rows created or updated in place; the reference version is renewed.
    """
    models = {model.__name__: model for model in apps.get_app_config("municipalities").get_models()}
    reference.load_reference_data(models)
    versioning.renew_reference()
