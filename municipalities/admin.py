"""Admin for the reference data (län, regions, kommuner, police areas) and organisations.

The admin is for superusers only (DESIGN §6): staff work in /personal/, where permissions follow
memberships, not Django's model permissions.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

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


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(PoliceRegion)
class PoliceRegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "county", "police_region"]
    list_filter = ["county", "police_region"]
    list_select_related = ["county", "police_region"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    # All 290 kommuner on one page: easier to scan (and find with the browser) than four pages.
    list_per_page = 300


class PoliceAreaCoverageInline(admin.TabularInline):
    model = PoliceAreaCoverage
    fields = ["municipality", "confidence", "source", "note"]
    autocomplete_fields = ["municipality"]
    extra = 0


@admin.register(PoliceArea)
class PoliceAreaAdmin(admin.ModelAdmin):
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
class OrganisationAdmin(admin.ModelAdmin):
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
