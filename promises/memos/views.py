"""Staff pages for decision memos: list, create, edit, preview, finalise, new version, PDF.

Everyone who may see a kommun's staff pages may read its memos and download them; only its
editors may create, edit, finalise or version them (404 for another kommun, 403 read-only).
"""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from municipalities.forms import add_service_errors
from municipalities.site.decorators import staff_required
from promises.documents.builders import memo_data, render_memo_pdf
from promises.documents.responses import frozen_or_draft_pdf
from promises.memos.forms import MemoForm, formset_values, list_formsets
from promises.memos.services import (
    create_memo_from_period,
    finalise_memo,
    missing_for_finalise,
    new_memo_version,
    update_memo,
)
from promises.models import DecisionMemo, MemoStatus
from promises.permissions import can_edit_period, get_period_for_editor, get_period_for_viewer


def _get_memo(request, pk, *, edit=False):
    memo = get_object_or_404(DecisionMemo.objects.select_related("period__municipality"), pk=pk)
    # The period decides who may see or change its memos.
    if edit:
        get_period_for_editor(request, memo.period_id)
    else:
        get_period_for_viewer(request, memo.period_id)
    return memo


def memo_filename(memo) -> str:
    period = memo.period
    return f"tjansteskrivelse-{period.municipality.slug}-{period.slug}-v{memo.version}.pdf"


@staff_required
@require_safe
def memo_list(request, period_pk):
    period = get_period_for_viewer(request, period_pk)
    memos = period.memos.select_related("finalised_by").order_by("-version")
    return render(
        request,
        "memos/decisionmemo_list.html",
        {
            "period": period,
            "memos": memos,
            "can_edit": can_edit_period(request.user, period),
            "has_draft": any(memo.status == MemoStatus.DRAFT for memo in memos),
        },
    )


@staff_required
@require_POST
def memo_create(request, period_pk):
    period = get_period_for_editor(request, period_pk)
    draft = period.memos.filter(status=MemoStatus.DRAFT).first()
    if draft is not None:
        messages.info(request, _("Det finns redan ett utkast. Du kan fortsätta med det."))
        return redirect("memos:edit", pk=draft.pk)
    memo = create_memo_from_period(period, by=request.user)
    messages.success(request, _("Ett utkast är skapat och ifyllt från medborgarlöftet."))
    return redirect("memos:edit", pk=memo.pk)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def memo_edit(request, pk):
    memo = _get_memo(request, pk, edit=True)
    if memo.is_final:
        messages.info(
            request,
            _("Tjänsteskrivelsen är fastställd och kan inte ändras. Skapa en ny version."),
        )
        return redirect("memos:detail", pk=memo.pk)
    data = request.POST if request.method == "POST" else None
    form = MemoForm(data, instance=memo)
    formsets = list_formsets(memo, data)
    if (
        request.method == "POST"
        and form.is_valid()
        and all(formset.is_valid() for formset in formsets.values())
    ):
        changes = dict(form.cleaned_data)
        changes.update({name: formset_values(formset) for name, formset in formsets.items()})
        try:
            update_memo(memo, by=request.user, **changes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            if "preview" in request.POST:
                return redirect("memos:detail", pk=memo.pk)
            return redirect("memos:edit", pk=memo.pk)
    return render(
        request,
        "memos/decisionmemo_edit.html",
        {"memo": memo, "period": memo.period, "form": form, "formsets": formsets},
    )


def _detail(request, memo, *, errors=(), status=200):
    data = memo.frozen_data if memo.is_final else memo_data(memo)
    return render(
        request,
        "memos/decisionmemo_detail.html",
        {
            "memo": memo,
            "period": memo.period,
            "doc": data,
            "draft": not memo.is_final,
            "missing": [] if memo.is_final else missing_for_finalise(memo),
            "errors": errors,
            "can_edit": can_edit_period(request.user, memo.period),
        },
        status=status,
    )


@staff_required
@require_safe
def memo_detail(request, pk):
    """The preview: the very document data the PDF prints, with what is missing listed."""
    return _detail(request, _get_memo(request, pk))


@staff_required
@require_POST
def memo_finalise(request, pk):
    memo = _get_memo(request, pk, edit=True)
    try:
        memo = finalise_memo(memo, by=request.user)
    except ValidationError as error:
        messages_ = (
            error.message_dict.get(NON_FIELD_ERRORS, error.messages)
            if hasattr(error, "error_dict")
            else error.messages
        )
        memo.refresh_from_db()
        return _detail(request, memo, errors=messages_)
    messages.success(request, _("Tjänsteskrivelsen är fastställd. PDF:en är sparad."))
    return redirect("memos:detail", pk=memo.pk)


@staff_required
@require_POST
def memo_new_version(request, pk):
    memo = _get_memo(request, pk, edit=True)
    try:
        draft = new_memo_version(memo, by=request.user)
    except ValidationError as error:
        draft = memo.period.memos.filter(status=MemoStatus.DRAFT).first()
        if draft is None:
            return _detail(request, memo, errors=error.messages)
        messages.info(request, _("Det finns redan ett utkast. Du kan fortsätta med det."))
    else:
        messages.success(
            request, _("Version %(version)s är skapad som utkast.") % {"version": draft.version}
        )
    return redirect("memos:edit", pk=draft.pk)


@staff_required
@require_safe
def memo_pdf(request, pk):
    """A finalised memo: the stored bytes, unchanged forever. A draft: rendered now, marked."""
    memo = _get_memo(request, pk)
    return frozen_or_draft_pdf(
        frozen=memo.is_final,
        stored=memo.pdf,
        filename=memo_filename(memo),
        render_draft=lambda: render_memo_pdf(memo_data(memo), draft=True),
    )
