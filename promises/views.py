"""Editing medborgarlöften in the staff area.

Viewers (and reporters) of a kommun read its periods here; its editors change them. Each view:
staff_required → fetch through promises.permissions (404 not visible, 403 read-only) → form →
one service → redirect to the period's page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from municipalities.forms import add_service_errors
from municipalities.site.decorators import staff_required
from promises import services
from promises.amendments.services import amend_period, plan_amendment
from promises.forms import (
    ActivityForm,
    AmendmentForm,
    AmendmentPartsForm,
    NewPeriodForm,
    PeriodForm,
    PromiseForm,
    SignatoryForm,
    SourceForm,
    TransitionForm,
    add_amendment_errors,
    amendment_changes,
    amendment_part_forms,
)
from promises.models import (
    Activity,
    PeriodStatus,
    Promise,
    Signatory,
    SituationSource,
)
from promises.permissions import (
    can_edit_period,
    get_period_for_editor,
    get_period_for_viewer,
    get_period_part_for_editor,
)
from promises.queries import editable_municipalities, period_for_editing, staff_periods


def _next_position(queryset):
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def _form_page(request, form, *, title, period, cancel_url=None, submit=None):
    context = {
        "form": form,
        "title": title,
        "period": period,
        "cancel_url": cancel_url,
        "submit": submit or _("Spara"),
    }
    return render(request, "staff/object_form.html", context)


# --- Periods ----------------------------------------------------------------------------------


@require_GET
@staff_required
def period_list(request):
    scope = request.scope
    periods = list(staff_periods(scope))
    may_create = scope.is_superuser or bool(scope.editable_municipality_ids)
    return render(request, "staff/period_list.html", {"periods": periods, "may_create": may_create})


@require_http_methods(["GET", "POST"])
@staff_required
def period_create(request):
    municipalities = list(editable_municipalities(request.scope))
    if not municipalities:
        raise PermissionDenied
    form = NewPeriodForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        fields, partners = form.service_fields()
        municipality = fields.pop("municipality_choice")
        try:
            period = services.create_period(
                municipality, by=request.user, partners=partners, **fields
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Utkastet är skapat."))
            return redirect("promises:period_detail", pk=period.pk)
    return _form_page(request, form, title=_("Nytt medborgarlöfte"), period=None)


@require_GET
@staff_required
def period_detail(request, pk):
    period = get_period_for_viewer(request, pk)
    period = period_for_editing(period.pk)
    may_edit = can_edit_period(request.scope, period)
    activities = list(period.activities.all())
    sections = [
        (promise, [a for a in activities if a.promise_id == promise.pk])
        for promise in period.promises.all()
    ]
    cross_cutting = [a for a in activities if a.promise_id is None]
    next_status = services.TRANSITIONS.get(period.status)
    context = {
        "period": period,
        "may_edit": may_edit,
        "sections": sections,
        "cross_cutting": cross_cutting,
        "next_status": PeriodStatus(next_status) if next_status else None,
        "transition_form": TransitionForm(initial={"to": next_status}) if next_status else None,
        "has_next_period": hasattr(period, "next_period"),
        "locked": period.is_locked,
        "may_edit_parts": may_edit and not period.is_locked,
    }
    return render(request, "staff/period_detail.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def period_edit(request, pk):
    period = get_period_for_editor(request, pk)
    form = PeriodForm(
        request.POST or None,
        instance=period,
        municipality=period.municipality,
        locked=period.is_locked,
    )
    if request.method == "POST" and form.is_valid():
        fields, partners = form.service_fields()
        try:
            services.update_period(period, by=request.user, partners=partners, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Medborgarlöftet är sparat."))
            return redirect("promises:period_detail", pk=period.pk)
    return _form_page(request, form, title=_("Redigera medborgarlöftet"), period=period)


@require_POST
@staff_required
def period_transition(request, pk):
    period = get_period_for_editor(request, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.transition_period(
                period,
                by=request.user,
                to=form.cleaned_data["to"],
                adopted_on=form.cleaned_data["adopted_on"],
                decision_reference=form.cleaned_data["decision_reference"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Status är ändrad."))
            return redirect("promises:period_detail", pk=period.pk)
    period = period_for_editing(period.pk)
    # A bogus or missing "to" is a form error (shown on the page), never a 500.
    to = form.data.get("to", "")
    next_status = PeriodStatus(to) if to in PeriodStatus.values else None
    return render(
        request,
        "staff/period_transition.html",
        {"period": period, "form": form, "next_status": next_status},
    )


@require_POST
@staff_required
def period_publish(request, pk):
    period = get_period_for_editor(request, pk)
    published = request.POST.get("published") == "1"
    try:
        services.set_published(period, by=request.user, published=published)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Medborgarlöftet är publicerat.")
            if published
            else _("Medborgarlöftet är inte längre publicerat."),
        )
    return redirect("promises:period_detail", pk=period.pk)


@require_http_methods(["GET", "POST"])
@staff_required
def period_renew(request, pk):
    period = get_period_for_editor(request, pk)
    starts_on, ends_on = services.following_span(period.starts_on, period.ends_on)
    errors = []
    if request.method == "POST":
        try:
            renewed = services.renew_period(period, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("Ett utkast till %(title)s är skapat från %(old)s.")
                % {"title": renewed.title, "old": period.title},
            )
            return redirect("promises:period_detail", pk=renewed.pk)
    context = {"period": period, "starts_on": starts_on, "ends_on": ends_on, "errors": errors}
    return render(request, "staff/period_renew.html", context)


# --- Promises, activities, signatories, sources ------------------------------------------------


def _refuse_locked(request, period):
    """An adopted period's parts change only by an amendment: back to its page, saying so."""
    messages.error(request, services.adoption_lock_message())
    return redirect("promises:period_detail", pk=period.pk)


def _save_part(request, *, period, form, save, title, success):
    if period.is_locked:
        return _refuse_locked(request, period)
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("promises:period_detail", pk=period.pk)
    return _form_page(request, form, title=title, period=period)


@require_http_methods(["GET", "POST"])
@staff_required
def promise_create(request, pk):
    period = get_period_for_editor(request, pk)
    form = PromiseForm(
        request.POST or None,
        instance=Promise(period=period),
        initial={"position": _next_position(period.promises)},
    )

    def save():
        services.save_promise(period, by=request.user, **form.cleaned_data)

    return _save_part(
        request,
        period=period,
        form=form,
        save=save,
        title=_("Nytt löfte"),
        success=_("Löftet är sparat."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def promise_edit(request, pk):
    promise = get_period_part_for_editor(request, Promise, pk)
    period = promise.period
    form = PromiseForm(request.POST or None, instance=promise)

    def save():
        services.save_promise(period, by=request.user, promise=promise, **form.cleaned_data)

    return _save_part(
        request,
        period=period,
        form=form,
        save=save,
        title=_("Redigera löfte"),
        success=_("Löftet är sparat."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def activity_create(request, pk):
    period = get_period_for_editor(request, pk)
    form = ActivityForm(
        request.POST or None,
        instance=Activity(period=period),
        period=period,
        initial={"position": _next_position(period.activities)},
    )

    def save():
        fields, organisations = form.service_fields()
        services.save_activity(
            period, by=request.user, responsible_organisations=organisations, **fields
        )

    return _save_part(
        request,
        period=period,
        form=form,
        save=save,
        title=_("Ny aktivitet"),
        success=_("Aktiviteten är sparad."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def activity_edit(request, pk):
    activity = get_period_part_for_editor(request, Activity, pk)
    period = activity.period
    # The service compares with the stored values, so it gets its own fresh copy.
    form = ActivityForm(request.POST or None, instance=activity, period=period)

    def save():
        fields, organisations = form.service_fields()
        services.save_activity(
            period,
            by=request.user,
            activity=Activity(pk=activity.pk),
            responsible_organisations=organisations,
            **fields,
        )

    return _save_part(
        request,
        period=period,
        form=form,
        save=save,
        title=_("Redigera aktivitet"),
        success=_("Aktiviteten är sparad."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def signatory_create(request, pk):
    period = get_period_for_editor(request, pk)
    form = SignatoryForm(
        request.POST or None,
        instance=Signatory(period=period),
        period=period,
        initial={"position": _next_position(period.signatories)},
    )

    def save():
        services.save_signatory(period, by=request.user, **form.cleaned_data)

    return _save_part(
        request,
        period=period,
        form=form,
        save=save,
        title=_("Ny undertecknare"),
        success=_("Undertecknaren är sparad."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def signatory_edit(request, pk):
    signatory = get_period_part_for_editor(request, Signatory, pk)
    period = signatory.period
    form = SignatoryForm(request.POST or None, instance=signatory, period=period)

    def save():
        services.save_signatory(period, by=request.user, signatory=signatory, **form.cleaned_data)

    return _save_part(
        request,
        period=period,
        form=form,
        save=save,
        title=_("Redigera undertecknare"),
        success=_("Undertecknaren är sparad."),
    )


@require_POST
@staff_required
def signatory_delete(request, pk):
    signatory = get_period_part_for_editor(request, Signatory, pk)
    try:
        services.delete_signatory(signatory, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Undertecknaren är borttagen."))
    return redirect("promises:period_detail", pk=signatory.period_id)


@require_http_methods(["GET", "POST"])
@staff_required
def source_create(request, pk):
    period = get_period_for_editor(request, pk)
    form = SourceForm(request.POST or None, instance=SituationSource(period=period))

    def save():
        services.save_source(period, by=request.user, **form.cleaned_data)

    return _save_part(
        request,
        period=period,
        form=form,
        save=save,
        title=_("Ny källa till lägesbilden"),
        success=_("Källan är sparad."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def source_edit(request, pk):
    source = get_period_part_for_editor(request, SituationSource, pk)
    period = source.period
    form = SourceForm(request.POST or None, instance=source)

    def save():
        services.save_source(period, by=request.user, source=source, **form.cleaned_data)

    return _save_part(
        request,
        period=period,
        form=form,
        save=save,
        title=_("Redigera källa"),
        success=_("Källan är sparad."),
    )


@require_POST
@staff_required
def source_delete(request, pk):
    source = get_period_part_for_editor(request, SituationSource, pk)
    try:
        services.delete_source(source, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Källan är borttagen."))
    return redirect("promises:period_detail", pk=source.period_id)


# --- Amendments (issue 12) ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def amendment_create(request, pk):
    """Ändra medborgarlöftet, in two steps that work without JavaScript: pick the parts that
    change (GET ?delar=…), then edit them with the reason, date and decision; "Förhandsgranska"
    shows before → after, "Spara ändringen" makes the amendment."""
    period = get_period_for_editor(request, pk)
    if not period.is_locked:
        messages.info(request, _("Medborgarlöftet är ett utkast. Ändra det direkt."))
        return redirect("promises:period_detail", pk=period.pk)
    period = period_for_editing(period.pk)
    posted = request.method == "POST"
    data = request.POST if posted else request.GET
    parts_form = AmendmentPartsForm(
        data if "delar" in data or "valj" in data else None, period=period
    )
    if not posted and not parts_form.is_valid():
        context = {"period": period, "parts_form": parts_form}
        return render(request, "staff/period_amend.html", context)
    part_forms = amendment_part_forms(period, data.getlist("delar"), request.POST or None)
    form = AmendmentForm(request.POST or None)
    preview = None
    if posted and form.is_valid() and all(f.is_valid() for _key, _heading, f in part_forms):
        decision = {**form.cleaned_data, "changes": amendment_changes(part_forms)}
        try:
            if request.POST.get("action") == "save":
                amend_period(period, by=request.user, **decision)
                messages.success(
                    request,
                    _("Ändringen är sparad, och det reviderade dokumentet är en ny version."),
                )
                return redirect("promises:period_detail", pk=period.pk)
            preview = [change.record for change in plan_amendment(period, **decision)]
        except ValidationError as error:
            add_amendment_errors(form, part_forms, error)
    context = {
        "period": period,
        "form": form,
        "part_forms": part_forms,
        "keys": [key for key, _heading, _form in part_forms],
        "preview": preview,
    }
    return render(request, "staff/period_amend.html", context)
