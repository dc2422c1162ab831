"""Who may do what, by membership (DESIGN §7).

A membership ties a user to an organisation with a role. An organisation *covers* kommuner: a
kommun covers itself, a partner its kommun, a police area every kommun it serves (a police
organisation whose area is unknown is tied to one kommun). Staff see the kommuner their
organisations cover; reporters and editors log for their own organisation's activities there;
editors also edit those kommuner's promises. Superusers may do everything.

What a signed-in user may see and do is worked out once per request, from one query, as a
``StaffScope`` (``request.scope``, set by ``staff_required``; ``scope_for(user)`` elsewhere). The
predicates below and in promises/followup ``permissions.py`` take that scope, never re-query
memberships. Views call them and answer 404 for what the user may not see and 403 for an action
the user may not take on something visible.
"""

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from municipalities.models import Membership, Role

WRITING_ROLES = frozenset({Role.REPORTER, Role.EDITOR})


@dataclass(frozen=True)
class StaffScope:
    """What one user may see and do: its roles per organisation and the kommuner each of those
    organisations covers. Immutable (the derived sets are worked out on first use); built by
    ``scope_for``."""

    is_authenticated: bool = False
    is_superuser: bool = False
    # organisation id → the user's role in it
    roles: dict[int, str] = field(default_factory=dict)
    # organisation id → ids of the kommuner it covers
    coverage: dict[int, frozenset[int]] = field(default_factory=dict)

    @property
    def is_staff(self) -> bool:
        """A superuser or a member of at least one organisation: may open the staff pages."""
        return self.is_authenticated and (self.is_superuser or bool(self.roles))

    def municipality_ids(self, roles=None) -> frozenset[int]:
        """Kommuner covered by the user's organisations (those where it has one of ``roles``)."""
        return frozenset().union(
            *(
                self.coverage.get(organisation_id, ())
                for organisation_id, role in self.roles.items()
                if roles is None or role in roles
            )
        )

    @cached_property
    def covered_municipality_ids(self) -> frozenset[int]:
        return self.municipality_ids()

    @cached_property
    def editable_municipality_ids(self) -> frozenset[int]:
        return self.municipality_ids((Role.EDITOR,))

    @cached_property
    def writing_organisation_ids(self) -> frozenset[int]:
        """Organisations the user reports or edits for, wherever they act."""
        return frozenset(o for o, role in self.roles.items() if role in WRITING_ROLES)

    def writing_organisation_ids_in(self, municipality_id) -> frozenset[int]:
        """Organisations the user reports or edits for that cover the kommun."""
        return frozenset(
            organisation_id
            for organisation_id in self.writing_organisation_ids
            if municipality_id in self.coverage.get(organisation_id, ())
        )

    @property
    def may_write(self) -> bool:
        """Reports or edits somewhere: the import and logging pages are for them."""
        return self.is_superuser or bool(self.writing_organisation_ids)

    @property
    def may_edit(self) -> bool:
        """Edits for some kommun: the feedback inbox and the members page are for them."""
        return self.is_superuser or bool(self.editable_municipality_ids)

    @cached_property
    def fingerprint(self) -> str:
        """A short text equal for two scopes exactly when they allow the same (cache keys of
        what is rendered per scope, such as the dashboard's rows)."""
        facts = (
            self.is_authenticated,
            self.is_superuser,
            sorted(self.roles.items()),
            sorted((organisation, sorted(ids)) for organisation, ids in self.coverage.items()),
        )
        return hashlib.sha256(repr(facts).encode()).hexdigest()[:32]

    def can_view_municipality_id(self, municipality_id) -> bool:
        return self.is_superuser or municipality_id in self.covered_municipality_ids

    def can_edit_municipality_id(self, municipality_id) -> bool:
        return self.is_superuser or municipality_id in self.editable_municipality_ids


ANONYMOUS_SCOPE = StaffScope()


def scope_for(user) -> StaffScope:
    """The user's scope, from one query, kept on the user object for the rest of the request.

    One row per membership and kommun covered: a kommun or partner organisation covers its own
    kommun, a police organisation the kommuner of its police area (or its one kommun when the
    area is unknown).
    """
    if not user.is_authenticated:
        return ANONYMOUS_SCOPE
    cached = getattr(user, "_staff_scope", None)
    if cached is not None:
        return cached
    # No ordering: the model's (organisation name, username) would join two tables for nothing.
    rows = (
        Membership.objects.filter(user=user)
        .order_by()
        .values_list(
            "organisation_id",
            "role",
            "organisation__municipality_id",
            "organisation__police_area__coverage__municipality_id",
        )
    )
    roles, coverage = {}, {}
    for organisation_id, role, own_kommun, area_kommun in rows:
        roles[organisation_id] = role
        covered = coverage.setdefault(organisation_id, set())
        covered.update(kommun for kommun in (own_kommun, area_kommun) if kommun is not None)
    scope = StaffScope(
        is_authenticated=True,
        is_superuser=user.is_superuser,
        roles=roles,
        coverage={organisation: frozenset(ids) for organisation, ids in coverage.items()},
    )
    user._staff_scope = scope
    return scope


def as_scope(scope_or_user) -> StaffScope:
    """A scope as given, or the scope of a user (for callers that hold only ``request.user``)."""
    if isinstance(scope_or_user, StaffScope):
        return scope_or_user
    return scope_for(scope_or_user)


def request_scope(request) -> StaffScope:
    """``request.scope``, worked out now if no decorator has done it yet."""
    scope = getattr(request, "scope", None)
    if scope is None:
        scope = request.scope = scope_for(request.user)
    return scope


def can_view_municipality(scope, municipality) -> bool:
    """Staff pages of a kommun: any member of an organisation covering it."""
    return as_scope(scope).can_view_municipality_id(municipality.pk)


def can_edit_municipality(scope, municipality) -> bool:
    """Editing a kommun's periods, promises, activities, memos and reports."""
    return as_scope(scope).can_edit_municipality_id(municipality.pk)
