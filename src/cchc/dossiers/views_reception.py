"""The receive page (Tiếp nhận hồ sơ) with its checklist, fees, procedure picker and applicant look-up.

Thin: the form reads the input, dossiers/reception.py receives. Every endpoint needs a log-in and the "dossier.receive"
right in the user's own agency, and reads only that agency's catalogue and dossiers. The page works without
JavaScript (a plain list of procedures; choosing one and pressing "Tiếp nhận" first shows its checklist); with it,
reception.js adds the search-as-you-type picker and htmx loads the checklist and the applicant's earlier details.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cchc.agencies.models import Agency
from cchc.procedures.models import Procedure
from cchc.reports.freeze import ChangeReasonRequired

from . import reception
from .forms import ReceiveForm
from .forms_reception import ChecklistForm
from .views import _receiving_agency

PICKER_LIMIT = 20
# Identity look-ups a user may make per minute: enough for a busy desk, too few to walk through the numbers.
LOOKUPS_PER_MINUTE = 30


def _catalogue(agency: Agency):
    return Procedure.objects.filter(agency=agency).in_force_on(timezone.localdate())


def _chosen(agency: Agency, value) -> Procedure | None:
    if not str(value or "").isdigit():
        return None
    return _catalogue(agency).filter(pk=int(value)).first()


@login_required
@require_http_methods(["GET", "POST"])
def receive(request: HttpRequest) -> HttpResponse:
    agency = _receiving_agency(request, "dossier.receive")
    if request.method == "POST":
        form = ReceiveForm(request.POST, agency=agency)
        procedure = _chosen(agency, request.POST.get("procedure"))
        checklist = ChecklistForm(request.POST, procedure=procedure)
        if form.is_valid() and checklist.is_valid():
            data = form.cleaned_data
            shown = data.get("checklist_for") == procedure.pk
            if not shown and (checklist.components or checklist.fees):
                checklist = ChecklistForm(procedure=procedure)  # the catalogue's values, for the clerk to tick
                messages.info(
                    request, _("Đánh dấu các thành phần hồ sơ đã nhận và phí, lệ phí đã thu rồi bấm “Tiếp nhận”.")
                )
            else:
                try:
                    dossier = reception.receive(
                        agency=agency,
                        procedure=data["procedure"],
                        applicant_name=data["applicant_name"],
                        channel=data["channel"],
                        actor=request.user,
                        received_at=data["received_at"],
                        handed_in=checklist.handed_in(),
                        collected=checklist.collected(),
                        **form.lifecycle_fields(),
                    )
                except ChangeReasonRequired as exc:
                    form.ask_reason(exc.messages)
                except reception.MissingComponents as exc:
                    form.add_error(None, exc.messages)
                    form.missing = exc.missing
                except ValidationError as exc:
                    form.add_error(None, exc.messages)
                else:
                    messages.success(
                        request,
                        _("Đã tiếp nhận hồ sơ %(code)s, hẹn trả ngày %(due)s.")
                        % {"code": dossier.code, "due": dossier.due_date.strftime("%d/%m/%Y")},
                    )
                    return redirect("dossiers:detail", pk=dossier.pk)
    else:
        procedure = _chosen(agency, request.GET.get("thu_tuc"))
        form = ReceiveForm(agency=agency, initial={"procedure": procedure} if procedure else {})
        checklist = ChecklistForm(procedure=procedure)
    return render(request, "dossiers/receive.html", {"form": form, "agency": agency, "checklist": checklist})


@login_required
@require_GET
def checklist(request: HttpRequest) -> HttpResponse:
    """The checklist of the chosen procedure (loaded by htmx when the clerk picks it)."""
    agency = _receiving_agency(request, "dossier.receive")
    procedure = _chosen(agency, request.GET.get("procedure"))
    if not request.htmx:
        # Asked for as a page (no JavaScript): the receive form with this procedure chosen shows the same list.
        url = reverse("dossiers:receive")
        return redirect(f"{url}?thu_tuc={procedure.pk}" if procedure else url)
    return render(request, "dossiers/_reception_checklist.html", {"checklist": ChecklistForm(procedure=procedure)})


@login_required
@require_GET
def procedure_search(request: HttpRequest) -> HttpResponse:
    """The picker's options: procedures in force whose code or name holds every typed word, without diacritics."""
    agency = _receiving_agency(request, "dossier.receive")
    text = (request.GET.get("q") or "")[:100]
    found = _catalogue(agency).search(text).order_by("code")[:PICKER_LIMIT]
    context = {"procedures": found, "q": text, "agency": agency}
    if not request.htmx:
        # Without JavaScript the picker is a search page whose results open the receive form with the procedure.
        return render(request, "dossiers/reception_search.html", context)
    return render(request, "dossiers/_procedure_options.html", context)


@login_required
@require_GET
def applicant_lookup(request: HttpRequest) -> HttpResponse:
    """The details the applicant with the typed identity number gave on their latest dossier in this agency."""
    agency = _receiving_agency(request, "dossier.receive")
    key = f"cchc:reception:lookup:{request.user.pk}:{timezone.now():%Y%m%d%H%M}"
    count = cache.get_or_set(key, 0, 90)
    if count >= LOOKUPS_PER_MINUTE:
        template = "dossiers/_applicant_offer.html" if request.htmx else "dossiers/reception_applicant.html"
        return render(request, template, {"throttled": True, "agency": agency}, status=429)
    cache.incr(key)
    number = (request.GET.get("applicant_id_number") or "")[:32]
    earlier = reception.earlier_applicant(agency, number) if number else None
    template = "dossiers/_applicant_offer.html" if request.htmx else "dossiers/reception_applicant.html"
    return render(request, template, {"earlier": earlier, "number": number, "agency": agency})
