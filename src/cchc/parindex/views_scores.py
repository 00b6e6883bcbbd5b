"""The page of one item of a sheet: what the item asks, cchc's proposal with its figures and sources, the evidence,
and the forms of whoever may act in the sheet's phase (self-assessment, appraisal, explanation). Each form posts to
its own URL; a form read before someone else's save is refused with the message of scores.StaleEdit."""

from __future__ import annotations

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import evidence_links, permissions, scores
from .forms import AppraiseForm, EvidenceForm, ExplainForm, SelfScoreForm, apply_errors
from .models import Evidence, EvidenceKind, ItemScore, Phase, Section
from .ruletext import params_text
from .scoring import leaf_values, lowered
from .timeline import sheet_entries
from .views_frameworks import evaluator_label
from .views_sheets import fresh
from .workflow import EDITS, Edit, TransitionError


def score_or_404(request: HttpRequest, pk: int) -> ItemScore:
    visible = permissions.sheets_visible(request.user)
    queryset = ItemScore.objects.select_related("sheet", "sheet__framework", "sheet__agency", "item", "assignee",
                                                "round1_by", "round2_by").filter(sheet__in=visible)  # fmt: skip
    return get_object_or_404(queryset, pk=pk)


def evidence_or_404(request: HttpRequest, pk: int) -> Evidence:
    visible = permissions.sheets_visible(request.user)
    return get_object_or_404(Evidence.objects.select_related("score", "score__sheet", "score__item")
                             .filter(score__sheet__in=visible), pk=pk)  # fmt: skip


def _phase_allows(score: ItemScore, edit: Edit) -> bool:
    return Phase(score.sheet.phase) in EDITS[edit]


def score_page(request: HttpRequest, score: ItemScore, **bound) -> HttpResponse:
    user = request.user
    sheet = score.sheet
    item = score.item
    prepare = permissions.may_prepare_item(user, score)
    phase = Phase(sheet.phase)
    appraise_round = phase in (Phase.ROUND1, Phase.ROUND2) and permissions.may_appraise(user, score)
    is_lowered = lowered(score)
    evidence = list(score.evidence.select_related("added_by"))
    for entry in evidence:
        entry.page = entry.url if entry.kind == EvidenceKind.OBJECT else ""
    may_self = prepare and _phase_allows(score, Edit.SELF) and item.section != Section.SURVEY
    may_evidence = prepare and _phase_allows(score, Edit.EVIDENCE) and (phase != Phase.EXPLANATION or is_lowered)
    may_explain = prepare and _phase_allows(score, Edit.EXPLAIN) and is_lowered
    values = leaf_values(score, item.section)
    round_points = score.round1_points if phase == Phase.ROUND1 else score.round2_points
    compared = values["self"] if phase == Phase.ROUND1 else values["round1"]
    context = {
        "score": score, "sheet": sheet, "item": item, "proposal": score.proposal or {},
        "params": params_text(item.rule, item.rule_params), "evaluator": evaluator_label(item.evaluator),
        "evidence": evidence, "lowered": is_lowered, "values": values,
        "may_self": may_self, "may_evidence": may_evidence, "may_explain": may_explain,
        "appraise_round": appraise_round, "round_label": _("lần 1") if phase == Phase.ROUND1 else _("lần 2"),
        "self_form": self_form(score, initial={"version": score.version, "points": score.self_points,
                                               "note": score.self_note, "override_reason": score.override_reason}),
        "appraise_form": AppraiseForm(initial={"version": score.version,
                                               "points": round_points if round_points is not None else compared}),
        "explain_form": ExplainForm(initial={"version": score.version, "text": score.explanation}),
        "evidence_form": EvidenceForm(choices=evidence_links.object_choices(score)) if may_evidence else None,
        "sources_to_attach": [s for s in evidence_links.proposal_sources(score) if s.get("model") and s.get("pk")]
        if may_evidence else [],
        "history": sheet_entries(sheet, code=item.code, limit=30), "survey": item.section == Section.SURVEY,
        "appraiser_name": _appraiser_name(score),
    }  # fmt: skip
    context.update(bound)
    return render(request, "parindex/score.html", context)


def self_form(score: ItemScore, data=None, **kwargs) -> SelfScoreForm:
    """Without a proposal there is nothing to accept or override."""
    form = SelfScoreForm(data, **kwargs)
    if score.proposed_points is None:
        del form.fields["accept"]
        del form.fields["override_reason"]
    return form


def _appraiser_name(score: ItemScore) -> str:
    agency_id = permissions.appraiser_of(score.sheet, score.item.appraiser_role)
    if agency_id is None:
        return _("Sở Nội vụ")
    from cchc.agencies.models import Agency

    return Agency.objects.filter(pk=agency_id).values_list("name", flat=True).first() or ""


def score_detail(request: HttpRequest, pk: int) -> HttpResponse:
    score = score_or_404(request, pk)
    if score.sheet.phase == Phase.DRAFTING:
        fresh(score.sheet)
        score.refresh_from_db()
    return score_page(request, score)


def _refused(request: HttpRequest, score: ItemScore, form, exc: Exception, name: str) -> HttpResponse:
    if isinstance(exc, scores.StaleEdit):
        messages.error(request, exc.messages[0])
    elif isinstance(exc, ValidationError):
        apply_errors(form, exc, {"text": "text"})
    else:
        messages.error(request, str(exc))
    score.refresh_from_db()
    return score_page(request, score, **{name: form})


@require_POST
def score_self(request: HttpRequest, pk: int) -> HttpResponse:
    score = score_or_404(request, pk)
    if not permissions.may_prepare_item(request.user, score):
        raise PermissionDenied(_("Mục này được giao cho người khác chuẩn bị."))
    form = self_form(score, request.POST)
    if not form.is_valid():
        return score_page(request, score, self_form=form)
    data = form.cleaned_data
    try:
        scores.save_self(score, request.user, points=data["points"], note=data["note"],
                         accept=data.get("accept", False), override_reason=data.get("override_reason", ""),
                         version=data["version"])  # fmt: skip
    except (ValidationError, TransitionError) as exc:
        return _refused(request, score, form, exc, "self_form")
    messages.success(request, _("Đã lưu điểm tự chấm mục %(code)s.") % {"code": score.item.code})
    return redirect("parindex:score", pk=score.pk)


@require_POST
def score_appraise(request: HttpRequest, pk: int) -> HttpResponse:
    score = score_or_404(request, pk)
    if not permissions.may_appraise(request.user, score):
        raise PermissionDenied(_("Mục này do cơ quan thẩm định khác chấm."))
    form = AppraiseForm(request.POST)
    if not form.is_valid():
        return score_page(request, score, appraise_form=form)
    data = form.cleaned_data
    try:
        scores.appraise(score, request.user, points=data["points"], note=data["note"], version=data["version"])
    except (ValidationError, TransitionError) as exc:
        return _refused(request, score, form, exc, "appraise_form")
    messages.success(request, _("Đã lưu điểm thẩm định mục %(code)s.") % {"code": score.item.code})
    return redirect("parindex:score", pk=score.pk)


@require_POST
def score_explain(request: HttpRequest, pk: int) -> HttpResponse:
    score = score_or_404(request, pk)
    if not permissions.may_prepare_item(request.user, score):
        raise PermissionDenied(_("Mục này được giao cho người khác chuẩn bị."))
    form = ExplainForm(request.POST)
    if not form.is_valid():
        return score_page(request, score, explain_form=form)
    data = form.cleaned_data
    try:
        scores.explain(score, request.user, text=data["text"], version=data["version"])
    except (ValidationError, TransitionError) as exc:
        return _refused(request, score, form, exc, "explain_form")
    messages.success(request, _("Đã lưu giải trình mục %(code)s.") % {"code": score.item.code})
    return redirect("parindex:score", pk=score.pk)


@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    score = score_or_404(request, pk)
    if not permissions.may_prepare_item(request.user, score):
        raise PermissionDenied(_("Mục này được giao cho người khác chuẩn bị."))
    try:
        if request.POST.get("nguon"):
            added = _attach_sources(score, request)
            messages.success(request, _("Đã đính kèm %(n)s nguồn số liệu cchc.") % {"n": added})
            return redirect("parindex:score", pk=score.pk)
        form = EvidenceForm(request.POST, request.FILES, choices=evidence_links.object_choices(score))
        if not form.is_valid():
            return score_page(request, score, evidence_form=form)
        data = form.cleaned_data
        kind = data["kind"]
        title, ref_model, ref_pk, url = data["title"], "", None, data["url"]
        if kind == EvidenceKind.OBJECT:
            choice = evidence_links.find_choice(score, data["ref"]) if data["ref"] else None
            if choice is None:
                form.add_error("ref", _("Vui lòng chọn dữ liệu trong cchc."))
                return score_page(request, score, evidence_form=form)
            title, ref_model, ref_pk, url = title or choice.label, choice.model, choice.pk, choice.url
        elif kind == EvidenceKind.FILE and not title and data["file"]:
            title = data["file"].name
        scores.add_evidence(score, request.user, kind=kind, title=title, file=data["file"], url=url,
                            ref_model=ref_model, ref_pk=ref_pk)  # fmt: skip
    except ValidationError as exc:
        form = EvidenceForm(request.POST, choices=evidence_links.object_choices(score))
        form.is_valid()
        apply_errors(form, exc, {"ref": "ref"})
        return score_page(request, score, evidence_form=form)
    except TransitionError as exc:
        messages.error(request, str(exc))
        return redirect("parindex:score", pk=score.pk)
    messages.success(request, _("Đã bổ sung tài liệu kiểm chứng mục %(code)s.") % {"code": score.item.code})
    return redirect("parindex:score", pk=score.pk)


def _attach_sources(score: ItemScore, request: HttpRequest) -> int:
    added = 0
    for source in evidence_links.proposal_sources(score):
        if not (source.get("model") and source.get("pk")):
            continue
        url = source.get("url") or evidence_links.page_of(source["model"], source["pk"])
        scores.add_evidence(score, request.user, kind=EvidenceKind.OBJECT, title=source.get("label") or "",
                            url=url or "", ref_model=source["model"], ref_pk=int(source["pk"]))  # fmt: skip
        added += 1
    return added


def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    entry = evidence_or_404(request, pk)
    if entry.kind != EvidenceKind.FILE or not entry.file:
        raise Http404(_("Tài liệu này không có tệp."))
    try:
        handle = entry.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Không tìm thấy tệp của tài liệu.")) from exc
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(entry.file.name))


@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = evidence_or_404(request, pk)
    score = entry.score
    try:
        scores.remove_evidence(entry, request.user)
    except (ValidationError, TransitionError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Đã gỡ tài liệu “%(title)s”.") % {"title": entry.title})
    return redirect("parindex:score", pk=score.pk)
