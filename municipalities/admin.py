"""Admin for the reference data (län, regions, kommuner, police areas) and organisations.

The admin is for superusers only (DESIGN §6): staff work in /personal/, where permissions follow
memberships, not Django's model permissions.

The admin obeys the same services as every other page (DESIGN §5). Reference data and
memberships save and delete through ``municipalities/services.py``, which renews the reference
cache version. A kommun's own data (periods, promises, activities, signatories, sources, memos,
events, deviations, reports) has staff pages with services of its own, so the admin only shows
it: ``ReadOnlyAdminMixin`` and ``ReadOnlyInlineMixin`` (used by ``promises`` and ``followup``).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from municipalities import services
from municipalities.models import (
    County,
    Membership,
    Municipality,
    Organisation,
    PoliceArea,
    PoliceAreaCoverage,
    PoliceRegion,
)

admin.site.site_header = _("Medborgarlöften – administration")
admin.site.site_title = _("Medborgarlöften – administration")
admin.site.index_title = _("Administration av portalen")


def _superusers_only(request):
    # Staff users log in to the staff pages too; being staff must not open the admin to them,
    # whatever model permissions someone might grant later.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only


class ReadOnlyAdminMixin:
    """Shows a kommun's data, never writes it: writes go through the staff pages' services,
    which check the rules, keep the history and renew the kommun's cache version."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # Every field as text, also on django-simple-history's page of an old version, which
        # builds its form without asking the permissions.
        excluded = set(self.exclude or ())
        return [
            field.name
            for field in self.model._meta.get_fields()
            if field.concrete and not field.auto_created and field.name not in excluded
        ]

    # Django asks the permissions above before it saves; these are the second lock on the door.
    def save_model(self, request, obj, form, change):
        raise PermissionDenied

    def delete_model(self, request, obj):
        raise PermissionDenied

    def delete_queryset(self, request, queryset):
        raise PermissionDenied

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a "revert" POST with view permission alone.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyInlineMixin:
    """An inline of a read-only page: rows are listed, none added, changed or deleted."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceAdminMixin:
    """Saves and deletes shared reference data through the service that renews every page."""

    def save_model(self, request, obj, form, change):
        services.save_reference_object(obj, by=request.user)

    def delete_model(self, request, obj):
        services.delete_reference_objects([obj], by=request.user)

    def delete_queryset(self, request, queryset):
        services.delete_reference_objects(queryset, by=request.user)


@admin.register(County)
class CountyAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(PoliceRegion)
class PoliceRegionAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Municipality)
class MunicipalityAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "county", "police_region"]
    list_filter = ["county", "police_region"]
    list_select_related = ["county", "police_region"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    # All 290 kommuner on one page: easier to scan (and find with the browser) than four pages.
    list_per_page = 300


# Saved with its police area: the admin writes the page's form and inlines in one transaction, in
# which the area's save renews the reference version.
class PoliceAreaCoverageInline(admin.TabularInline):
    model = PoliceAreaCoverage
    fields = ["municipality", "confidence", "source", "note"]
    autocomplete_fields = ["municipality"]
    extra = 0


@admin.register(PoliceArea)
class PoliceAreaAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "region", "municipality_count"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "municipalities__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PoliceAreaCoverageInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(municipality_count=Count("coverage", distinct=True))
        )

    @admin.display(description=_("antal kommuner"), ordering="municipality_count")
    def municipality_count(self, obj):
        return obj.municipality_count


@admin.register(Organisation)
class OrganisationAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "police_area", "municipality"]
    list_filter = ["kind"]
    list_select_related = ["police_area", "municipality"]
    search_fields = ["name"]
    autocomplete_fields = ["police_area", "municipality"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation__kind"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]

    def save_model(self, request, obj, form, change):
        services.save_membership(obj, by=request.user)

    def delete_model(self, request, obj):
        services.delete_memberships([obj], by=request.user)

    def delete_queryset(self, request, queryset):
        services.delete_memberships(queryset, by=request.user)
