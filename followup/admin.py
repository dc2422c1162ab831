"""Admin for follow-up events, deviations and reports: read-only.

Events are logged, corrected and retracted, deviations added and reports published on the staff
pages, through ``followup/services.py`` and ``followup/reports/services.py``: they check the
rules, keep the history, never delete (DESIGN §5) and renew the kommun's cache version. The admin
only shows the record, so it cannot write past them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from followup.models import Deviation, FollowUpEvent, FollowUpReport
from municipalities.admin import ReadOnlyAdminMixin, ReadOnlyInlineMixin
from promises import admin as promises_admin
from promises.models import Activity


class RetractedFilter(admin.SimpleListFilter):
    title = _("Återkallad")
    parameter_name = "retracted"

    def lookups(self, request, model_admin):
        return [("yes", _("Ja")), ("no", _("Nej"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.retracted()
        if self.value() == "no":
            return queryset.counting()
        return queryset


@admin.register(FollowUpEvent)
class FollowUpEventAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "occurred_on",
        "activity",
        "quantity",
        "organisation",
        "logged_by",
        "retracted_at",
        "is_demo",
    ]
    list_filter = ["kind", "is_demo", RetractedFilter, "organisation__kind"]
    list_select_related = ["activity", "organisation", "logged_by"]
    search_fields = ["summary", "place", "activity__description"]
    date_hierarchy = "occurred_on"
    fieldsets = [
        (None, {"fields": ["activity", "kind", "occurred_on", "quantity", "organisation"]}),
        (_("Beskrivning"), {"fields": ["place", "summary", "internal_note"]}),
        (_("Loggning"), {"fields": ["logged_by", "logged_at", "is_demo"]}),
        (
            _("Återkallelse"),
            {
                "fields": ["retracted_at", "retracted_by", "retraction_reason"],
                "description": _(
                    "En felaktig händelse tas aldrig bort: den återkallas med ett skäl på "
                    "personalsidorna."
                ),
            },
        ),
    ]


@admin.register(Deviation)
class DeviationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["activity", "bucket_start", "reason", "created_by", "created_at"]
    list_filter = ["reason", "is_demo"]
    list_select_related = ["activity", "created_by"]
    search_fields = ["text", "activity__description"]
    date_hierarchy = "bucket_start"
    fields = ["activity", "bucket_start", "reason", "text", "created_by", "created_at", "is_demo"]


@admin.register(FollowUpReport)
class FollowUpReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["period", "kind", "year", "tertial", "version", "status", "published_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["period__municipality"]
    search_fields = ["period__title", "period__municipality__name"]
    exclude = ["frozen_data"]


class FollowUpEventInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The activity's events, read-only, each with a link to its own page."""

    model = FollowUpEvent
    fields = ["occurred_on", "quantity", "organisation", "summary", "retracted_at"]
    readonly_fields = fields
    ordering = ["-occurred_on", "-id"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "activity")


# The activity page lists its events. The inline lives here rather than in promises/admin.py so
# that promises never imports from followup; the promises admin is extended, not copied.
admin.site.unregister(Activity)


@admin.register(Activity)
class ActivityAdmin(promises_admin.ActivityAdmin):
    inlines = [*promises_admin.ActivityAdmin.inlines, FollowUpEventInline]
