"""Starting a new period from an existing text: paste or upload, review, create the draft.

Editors only: a kommun the user may not see is 404, one the user may only read is 403. Nothing is
written before "Skapa utkast"; the text waits in the session (promises.onboarding.sources).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from municipalities.site.decorators import staff_required
from promises.onboarding import services, sources
from promises.onboarding.forms import StartForm
from promises.onboarding.permissions import editable_municipalities, get_municipality_for_editor
from promises.onboarding.review import Review
from promises.parsing import parse_text


@require_http_methods(["GET", "POST"])
@staff_required
def start(request):
    municipalities = editable_municipalities(request.user)
    if not municipalities.exists():
        raise PermissionDenied
    chosen = request.POST.get("municipality", "")
    if chosen.isdigit():
        get_municipality_for_editor(request, int(chosen))
    form = StartForm(request.POST or None, request.FILES or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        token = sources.remember(
            request.session,
            municipality_id=form.cleaned_data["municipality"].pk,
            text=form.cleaned_data["source_text"],
            name=form.cleaned_data["source_name"],
        )
        return redirect("onboarding:review", token=token)
    return render(request, "onboarding/start.html", {"form": form})


@require_http_methods(["GET", "POST"])
@staff_required
def review(request, token):
    source = sources.recall(request.session, token)
    if source is None:
        messages.warning(
            request,
            _("Texten finns inte kvar att granska. Klistra in den eller ladda upp den igen."),
        )
        return redirect("onboarding:start")
    municipality = get_municipality_for_editor(request, source["municipality"])
    document = parse_text(source["text"])
    checked = Review(document, municipality, request.POST if request.method == "POST" else None)
    if request.method == "POST" and checked.is_valid():
        try:
            period = services.create_draft(municipality, by=request.user, draft=checked.draft())
        except services.DraftRefused as refused:
            checked.add_refusal(refused)
        else:
            sources.forget(request.session, token)
            messages.success(
                request,
                _("Utkastet är skapat från texten. Kontrollera det och fyll i det som saknas."),
            )
            return redirect("promises:period_detail", pk=period.pk)
    context = {
        "review": checked,
        "municipality": municipality,
        "source_name": source["name"],
        "period_part": checked.period_part(),
        "promise_parts": checked.promise_parts(),
        "activity_parts": checked.activity_parts(),
        "signatory_parts": checked.signatory_parts(),
    }
    return render(request, "onboarding/review.html", context)
