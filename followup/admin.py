"""Admin for follow-up events and deviations.

Events and deviations are never deleted, not even by a superuser (DESIGN §5): a wrong event is
retracted with a reason, and every edit is kept in its history.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from followup.models import Deviation, FollowUpEvent
from followup.services import CHANGE_REASON_MAX_LENGTH, retract_event
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


class FollowUpEventAdminForm(forms.ModelForm):
    retract_reason = forms.CharField(
        label=_("Återkalla med skäl"),
        max_length=CHANGE_REASON_MAX_LENGTH,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_(
            "Fyll i skälet för att återkalla händelsen. Den finns kvar men räknas inte längre."
        ),
    )

    class Meta:
        model = FollowUpEvent
        fields = [
            "activity",
            "kind",
            "occurred_on",
            "quantity",
            "organisation",
            "place",
            "summary",
            "internal_note",
            "is_demo",
        ]


@admin.register(FollowUpEvent)
class FollowUpEventAdmin(SimpleHistoryAdmin):
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
    autocomplete_fields = ["activity", "organisation"]
    form = FollowUpEventAdminForm
    # Retraction goes through the service, which stamps who, when and why in one step.
    readonly_fields = [
        "logged_by",
        "logged_at",
        "retracted_at",
        "retracted_by",
        "retraction_reason",
    ]

    def get_readonly_fields(self, request, obj=None):
        # A retracted event is part of the record as it stood; the services refuse to change it too.
        if obj is not None and obj.is_retracted:
            return [
                field
                for _name, options in self.get_fieldsets(request, obj)
                for field in options["fields"]
            ]
        return super().get_readonly_fields(request, obj)

    def get_fieldsets(self, request, obj=None):
        retraction = ["retracted_at", "retracted_by", "retraction_reason"]
        if obj is not None and not obj.is_retracted:
            retraction = ["retract_reason"]
        fieldsets = [
            (None, {"fields": ["activity", "kind", "occurred_on", "quantity", "organisation"]}),
            (_("Beskrivning"), {"fields": ["place", "summary", "internal_note"]}),
            (_("Loggning"), {"fields": ["logged_by", "logged_at", "is_demo"]}),
        ]
        if obj is not None:
            fieldsets.append(
                (
                    _("Återkallelse"),
                    {
                        "fields": retraction,
                        "description": _(
                            "En felaktig händelse tas aldrig bort: den återkallas med ett skäl."
                        ),
                    },
                )
            )
        return fieldsets

    def save_model(self, request, obj, form, change):
        if not change:
            obj.logged_by = request.user
        # A retraction alone changes nothing else; saving anyway would add an empty history entry.
        if not change or set(form.changed_data) - {"retract_reason"}:
            super().save_model(request, obj, form, change)
        reason = form.cleaned_data.get("retract_reason")
        if change and reason:
            try:
                retract_event(obj, by=request.user, reason=reason)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Deviation)
class DeviationAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "bucket_start", "reason", "created_by", "created_at"]
    list_filter = ["reason", "is_demo"]
    list_select_related = ["activity", "created_by"]
    search_fields = ["text", "activity__description"]
    date_hierarchy = "bucket_start"
    autocomplete_fields = ["activity"]
    fields = ["activity", "bucket_start", "reason", "text", "created_by", "created_at", "is_demo"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


class FollowUpEventInline(admin.TabularInline):
    """The activity's events, read-only: edit or retract one from its own page."""

    model = FollowUpEvent
    fields = ["occurred_on", "quantity", "organisation", "summary", "retracted_at"]
    readonly_fields = fields
    ordering = ["-occurred_on", "-id"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "activity")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The activity page lists its events. The inline lives here rather than in promises/admin.py so
# that promises never imports from followup; the promises admin is extended, not copied.
admin.site.unregister(Activity)


@admin.register(Activity)
class ActivityAdmin(promises_admin.ActivityAdmin):
    inlines = [*promises_admin.ActivityAdmin.inlines, FollowUpEventInline]
