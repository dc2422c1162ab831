"""Admin for promise periods, promises, activities, signatories, memos and themes.

Themes are shared reference data: they save through ``municipalities.services``, which renews
every page. Periods and everything in them are one kommun's data with staff pages and services
of their own (which check the rules, keep the history and renew the kommun's cache version), so
here they are read-only. Periods, promises, activities, signatories and themes keep their
edit history (django-simple-history), which the admin shows; amendments and the stored versions
of the signed document are read-only too (only their services write them). The events of
an activity are shown on its page by ``followup/admin.py``, which extends ``ActivityAdmin`` so that
this app never imports from ``followup`` (dependencies point followup → promises).
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from municipalities.admin import ReadOnlyAdminMixin, ReadOnlyInlineMixin, ReferenceAdminMixin
from promises.models import (
    Activity,
    Amendment,
    AmendmentChange,
    DecisionMemo,
    Promise,
    PromiseDocument,
    PromisePeriod,
    Signatory,
    SituationSource,
    Theme,
)

_COMPACT_TEXTAREA = {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}


@admin.register(Theme)
class ThemeAdmin(ReferenceAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class PromiseInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Promise
    fields = ["position", "title", "theme", "target_group"]
    extra = 0
    show_change_link = True


class ActivityInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Activity
    fields = [
        "position",
        "promise",
        "description",
        "responsible_organisations",
        "target_kind",
        "target_quantity",
        "unit_singular",
        "unit_plural",
        "cadence",
    ]
    autocomplete_fields = ["responsible_organisations"]
    formfield_overrides = {models.TextField: _COMPACT_TEXTAREA}
    extra = 0
    show_change_link = True


class SignatoryInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Signatory
    fields = ["position", "name", "title", "organisation"]
    autocomplete_fields = ["organisation"]
    extra = 0


class SituationSourceInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = SituationSource
    fields = ["kind", "description"]
    extra = 0


@admin.register(PromisePeriod)
class PromisePeriodAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "municipality",
        "title",
        "starts_on",
        "ends_on",
        "status",
        "is_published",
        "is_demo",
    ]
    list_display_links = ["municipality", "title"]
    list_filter = ["status", "is_published", "is_demo", "municipality__county"]
    list_select_related = ["municipality"]
    search_fields = ["title", "municipality__name"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["municipality", "police_area", "partners"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "municipality",
                    "police_area",
                    "title",
                    "slug",
                    ("starts_on", "ends_on"),
                    "status",
                ]
            },
        ),
        (
            _("Beslut och underskrift"),
            {"fields": [("adopted_on", "decision_reference"), ("signed_on", "signed_place")]},
        ),
        (_("Texter"), {"fields": ["introduction", "situation_picture", "follow_up_text"]}),
        (
            _("Parter och publicering"),
            {"fields": ["partners", "police_monthly_counts_only", "is_published", "is_demo"]},
        ),
    ]
    inlines = [PromiseInline, ActivityInline, SignatoryInline, SituationSourceInline]


@admin.register(Promise)
class PromiseAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "period", "theme", "position"]
    list_filter = ["theme", "period__municipality__county"]
    list_select_related = ["period__municipality", "theme"]
    search_fields = ["title", "period__title", "period__municipality__name"]
    autocomplete_fields = ["period"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "short_description",
        "period",
        "promise",
        "target_kind",
        "target_quantity",
        "cadence",
    ]
    list_filter = ["target_kind", "cadence", "period__municipality__county"]
    list_select_related = ["period__municipality", "promise"]
    search_fields = ["description", "period__title", "period__municipality__name"]
    autocomplete_fields = ["period", "promise", "responsible_organisations"]
    fieldsets = [
        (None, {"fields": ["period", "promise", "position", "description"]}),
        (_("Ansvariga"), {"fields": ["responsible_organisations"]}),
        (
            _("Mål"),
            {
                "fields": [
                    "target_kind",
                    ("target_quantity", "cadence"),
                    ("unit_singular", "unit_plural"),
                ],
                "description": _(
                    "Målvärde, enhet och period för målet fylls bara i när typen av mål är Antal."
                ),
            },
        ),
    ]

    @admin.display(description=_("beskrivning"), ordering="description")
    def short_description(self, obj):
        return Truncator(obj.description).chars(80)


@admin.register(Signatory)
class SignatoryAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "title", "organisation", "period", "position"]
    list_select_related = ["organisation", "period__municipality"]
    search_fields = ["name", "title", "organisation__name", "period__municipality__name"]
    autocomplete_fields = ["period", "organisation"]


@admin.register(DecisionMemo)
class DecisionMemoAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "period", "version", "status", "memo_date", "finalised_at"]
    list_filter = ["status", "is_demo"]
    list_select_related = ["period__municipality"]
    search_fields = ["title", "reference", "period__municipality__name"]
    date_hierarchy = "memo_date"


# --- Amendments and the signed document's versions (issue 12): written only by their services --


class AmendmentChangeInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = AmendmentChange
    fields = ["part_label", "label", "before_text", "after_text"]
    extra = 0


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["period", "number", "applies_from", "decision_reference", "created_at"]
    list_select_related = ["period__municipality"]
    search_fields = ["reason", "decision_reference", "period__municipality__name"]
    inlines = [AmendmentChangeInline]


@admin.register(PromiseDocument)
class PromiseDocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["period", "version", "label", "sha256", "created_at"]
    list_select_related = ["period__municipality"]
    search_fields = ["period__municipality__name", "sha256"]
    exclude = ["frozen_data"]
