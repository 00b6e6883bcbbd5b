"""Pages of the internal process: a move's form (take, forward with a person picker, send back with its reason,
reassign, approve, send out / receive back for liên thông, number the result), the desk's return form, a step's page
for the people of a liên thông agency, and that agency's list of incoming steps. Thin: the rules are in services."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cchc.agencies.models import Membership
from cchc.agencies.scoping import can, scope

from ..models import Dossier, Status
from ..rules import TransitionError
from . import services
from .engine import next_step, steps_of
from .forms import MOVE_FORMS, ReturnForm
from .models import DossierResult, DossierStep, StepState
from .panel import panel
from .permissions import actor_kinds, candidates
from .transitions import TRANSITIONS, Move, StepPermissionDenied, actor_refusal, check

SERVICES = {
    "take": services.take,
    "forward": services.forward,
    "approve": services.approve,
    "send_back": services.send_back,
    "reassign": services.reassign,
    "send_out": services.send_out,
    "receive_back": services.receive_back,
    "number": services.number_result,
}


def _forbidden_page(view):
    """A refused move answers 403 with its own Vietnamese message (the site's 403 page says only "no access")."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            message = str(exc) or _("Bạn không có quyền thực hiện thao tác này.")
            back = request.META.get("HTTP_REFERER", "")
            back = back if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else ""
            return render(request, "dossiers/workflow/forbidden.html", {"message": message, "back_url": back},
                          status=403)  # fmt: skip

    return wrapper


def _member_agencies(user) -> list[int]:
    return list(Membership.objects.filter(user=user).values_list("agency_id", flat=True))


def _sees_dossier(user, dossier_id: int) -> bool:
    return scope(Dossier.objects.filter(pk=dossier_id), user).exists()


def _step_or_404(request: HttpRequest, step_pk: int) -> DossierStep:
    """A step of a dossier the user may read, or of a liên thông step held by the user's agency."""
    step = (
        DossierStep.objects.select_related("dossier__agency", "dossier__procedure", "holder", "unit", "external_agency")
        .filter(pk=step_pk)
        .first()
    )
    if step is None:
        raise Http404(_("Không tìm thấy bước xử lý."))
    if _sees_dossier(request.user, step.dossier_id):
        return step
    if step.external_agency_id and step.external_agency_id in _member_agencies(request.user):
        return step
    raise Http404(_("Không tìm thấy bước xử lý."))


def _title(move: str) -> str:
    if move == "number":
        return _("Cấp số kết quả")
    return str(TRANSITIONS[Move(move)].label).capitalize()


def _back(request: HttpRequest, step: DossierStep):
    if _sees_dossier(request.user, step.dossier_id):
        return redirect("dossiers:detail", pk=step.dossier_id)
    return redirect("dossiers:workflow_step", step_pk=step.pk)


def _people(move: str, step: DossierStep, steps: list[DossierStep]):
    if move == "reassign":
        return candidates(step)
    following = next_step(steps, step)
    return candidates(following) if following is not None else None


@login_required
@require_http_methods(["GET", "POST"])
@_forbidden_page
def move(request: HttpRequest, step_pk: int, move: str) -> HttpResponse:
    form_class = MOVE_FORMS.get(move)
    if form_class is None:
        raise Http404(_("Không có thao tác này."))
    step = _step_or_404(request, step_pk)
    dossier = step.dossier
    refusal = ""
    if move == "number":
        if "holder" not in {str(k) for k in actor_kinds(request.user, step)} or not can(
            request.user, "document.issue", dossier.agency_id
        ):
            raise PermissionDenied(_("Chỉ người đang xử lý bước này và có quyền ban hành văn bản mới được cấp số."))
    else:
        actors = actor_kinds(request.user, step)
        if not actors & TRANSITIONS[Move(move)].actors:
            # Someone who could never make this move is refused whatever the step's state (a viewer, another role).
            raise StepPermissionDenied(actor_refusal(TRANSITIONS[Move(move)]))
        try:
            check(step.state, move, actors)
        except StepPermissionDenied:
            raise
        except TransitionError as exc:
            refusal = " ".join(exc.messages)
    steps = steps_of(dossier)
    following = next_step(steps, step)
    queue_label = ""
    if following is not None:
        queue_label = _("— Chuyển vào hàng chờ của bước %(n)s. %(name)s —") % {
            "n": following.position, "name": following.name}  # fmt: skip
    options = {"people": _people(move, step, steps), "queue_label": queue_label, "agency": dossier.agency}
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **options)
        if form.is_valid():
            try:
                SERVICES[move](step, actor=request.user, **form.service_data())
            except PermissionDenied:
                raise
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Đã %(move)s: bước %(n)s. %(name)s.") % {
                    "move": _title(move).lower(), "n": step.position, "name": step.name})  # fmt: skip
                return _back(request, step)
    else:
        form = form_class(**options)
    return render(
        request,
        "dossiers/workflow/move.html",
        {"step": step, "dossier": dossier, "form": form, "move": move, "title": _title(move), "refusal": refusal,
         "following": following, "back_url": _back(request, step).url},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
@_forbidden_page
def return_result(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = scope(Dossier.objects.select_related("agency", "procedure"), request.user).filter(pk=pk).first()
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    if not can(request.user, "dossier.process", dossier.agency_id):
        raise PermissionDenied(_("Bạn không có quyền trả kết quả hồ sơ của cơ quan này."))
    refusal = ""
    if dossier.status != Status.RESOLVED:
        refusal = _("Không thể trả kết quả: hồ sơ chưa có kết quả giải quyết hoặc đã trả.")
    elif not panel(request.user, dossier)["return_url"]:
        raise PermissionDenied(_("Bạn không có quyền trả kết quả hồ sơ này (hãy nhận xử lý bước trả kết quả)."))
    result = DossierResult.objects.filter(dossier=dossier).first()
    options = {"dossier": dossier, "may_issue": can(request.user, "document.issue", dossier.agency_id),
               "result": result}  # fmt: skip
    if request.method == "POST" and not refusal:
        form = ReturnForm(request.POST, request.FILES, **options)
        if form.is_valid():
            try:
                services.return_result(dossier, actor=request.user, **form.service_data())
            except PermissionDenied:
                raise
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Đã trả kết quả hồ sơ %(code)s.") % {"code": dossier.code})
                return redirect("dossiers:detail", pk=dossier.pk)
    else:
        form = ReturnForm(**options)
    return render(
        request, "dossiers/workflow/return.html",
        {"dossier": dossier, "form": form, "refusal": refusal, "result": result},
    )  # fmt: skip


@login_required
def step_page(request: HttpRequest, step_pk: int) -> HttpResponse:
    step = _step_or_404(request, step_pk)
    return render(
        request,
        "dossiers/workflow/step.html",
        {"step": step, "dossier": step.dossier, "sees_dossier": _sees_dossier(request.user, step.dossier_id)},
    )


@login_required
def incoming(request: HttpRequest) -> HttpResponse:
    """Liên thông: the steps other agencies' dossiers hand to the user's agency."""
    agencies = _member_agencies(request.user)
    condition = Q(external_agency_id__in=agencies)
    if request.user.is_superuser:
        condition = Q(external_agency__isnull=False)
    steps = (
        DossierStep.objects.filter(condition, state__in=[StepState.QUEUED, StepState.ACTIVE])
        .select_related("dossier__agency", "dossier__procedure", "holder", "external_agency")
        .order_by("due_at", "pk")[:200]
    )
    return render(request, "dossiers/workflow/incoming.html", {"steps": steps})
