"""Plan pages: the list with each plan's "đã hoàn thành 08/43", a plan's task tree, the task forms (add, edit,
progress, rating), the task import and a task's history.

Thin on purpose: every rule is in plans/services.py; the views scope queries to the user, check "plan.edit", call
the service and render. A plan or task of an agency the user cannot read is a 404; a reader without the right is 403.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cchc.agencies.models import Agency
from cchc.agencies.scoping import can, get_scoped_or_404, home_agency, require, scope
from cchc.audit import timeline

from . import services
from .forms import PlanFilterForm, PlanForm, ProgressForm, RatingForm, TaskForm, TaskImportForm, apply_errors
from .models import Plan, Task
from .rating import Progress, Rating, effective_rating, propose_rating

# Badge styles of cchc.css per rating; "Hoàn thành chậm" keeps the plain badge.
RATING_STYLES = {Rating.GOOD: "ok", Rating.DONE: "ok", Rating.LATE: "warn", Rating.NOT_DONE: "bad"}


def _plan_or_404(request: HttpRequest, pk: int) -> Plan:
    return get_scoped_or_404(Plan.objects.select_related("agency", "document"), request.user, pk=pk)


def _task_or_404(request: HttpRequest, pk: int) -> Task:
    return get_scoped_or_404(
        Task.objects.select_related("plan", "plan__agency", "parent", "lead_unit"),
        request.user,
        agency_field="plan__agency",
        pk=pk,
    )


def _editing_agency(request: HttpRequest) -> Agency:
    agency = home_agency(request.user)
    if agency is None:
        raise PermissionDenied(_("Tài khoản chưa thuộc cơ quan nào."))
    require(request.user, "plan.edit", agency)
    return agency


# --- list and plan -------------------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = scope(Plan.objects.select_related("agency"), request.user)
    years = sorted(set(plans.values_list("year", flat=True)), reverse=True)
    form = PlanFilterForm(request.GET, years=years)
    if form.is_valid():
        if form.cleaned_data.get("nam"):
            plans = plans.filter(year=form.cleaned_data["nam"])
        if form.cleaned_data.get("loai"):
            plans = plans.filter(kind=form.cleaned_data["loai"])
    today = timezone.localdate()
    shown = list(plans[:200])
    summaries = services.plan_summaries(shown, today)
    rows = [{"plan": plan, "summary": summaries[plan.pk]} for plan in shown]
    agency = home_agency(request.user)
    return render(
        request,
        "plans/list.html",
        {
            "form": form,
            "rows": rows,
            "can_edit": agency is not None and can(request.user, "plan.edit", agency),
            "show_agency": len({row["plan"].agency_id for row in rows}) > 1,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    agency = _editing_agency(request)
    form = PlanForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                agency,
                kind=data["kind"],
                year=data["year"],
                title=data["title"],
                document=data["document"],
                document_text=data["document_text"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo kế hoạch “%(title)s”.") % {"title": plan.title})
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "agency": agency})


@dataclass
class TaskRow:
    task: Task
    depth: int
    is_group: bool
    rating: Rating | None
    overdue: bool

    @property
    def rating_style(self) -> str:
        return RATING_STYLES.get(self.rating, "") if self.rating else ""


def task_rows(plan: Plan, today: dt.date) -> list[TaskRow]:
    """The plan's tasks in the order the plan writes them, each under its parent, with its depth."""
    tasks = list(plan.tasks.select_related("lead_unit").order_by("order", "pk"))
    children: dict[int | None, list[Task]] = {}
    for task in tasks:
        children.setdefault(task.parent_id, []).append(task)
    rows: list[TaskRow] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for task in children.get(parent_id, []):
            group = task.pk in children
            done = task.progress == Progress.DONE and task.completed_on is not None and task.completed_on <= today
            rows.append(
                TaskRow(
                    task=task,
                    depth=depth,
                    is_group=group,
                    rating=None if group else effective_rating(task, today),
                    overdue=not group and not done and task.due_date is not None and task.due_date < today,
                )
            )
            walk(task.pk, depth + 1)

    walk(None, 0)
    return rows


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "rows": task_rows(plan, today),
            "summary": services.plan_summary(plan, today),
            "can_edit": can(request.user, "plan.edit", plan.agency_id),
            "history": timeline.entries(plan, limit=20),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    require(request.user, "plan.edit", plan.agency_id)
    result = None
    form = TaskImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_tasks(plan, upload, request.user, filename=upload.name)
        except services.PlanImportError as exc:
            form.add_error("file", str(exc))
    return render(request, "plans/import.html", {"plan": plan, "form": form, "result": result})


# --- tasks ---------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    require(request.user, "plan.edit", plan.agency_id)
    initial = {}
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = int(request.GET["parent"])
    form = TaskForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.create_task(
                plan,
                code=data["code"],
                content=data["content"],
                parent=data["parent"],
                volume=data["volume"],
                lead_unit=data["lead_unit"],
                lead_text=data["lead_text"],
                cooperating_units=data["cooperating_units"],
                cooperating_text=data["cooperating_text"],
                deadline=data["deadline"],
                content_complete=data["content_complete"],
                actor=request.user,
            )
            if data["result"]:
                services.update_task(task, request.user, result=data["result"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm nhiệm vụ %(code)s.") % {"code": task.code})
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/task_form.html", {"plan": plan, "form": form, "task": None})


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    plan = task.plan
    require(request.user, "plan.edit", plan.agency_id)
    form = TaskForm(request.POST or None, plan=plan, task=task, initial=TaskForm.initial_for(task))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_task(
                task,
                request.user,
                deadline=data["deadline"],
                cooperating_units=data["cooperating_units"],
                parent=data["parent"],
                code=data["code"],
                content=data["content"],
                volume=data["volume"],
                lead_unit=data["lead_unit"],
                lead_text=data["lead_text"] or (data["lead_unit"].name if data["lead_unit"] else ""),
                cooperating_text=data["cooperating_text"],
                content_complete=data["content_complete"],
                result=data["result"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu nhiệm vụ %(code)s.") % {"code": data["code"]})
            return redirect("plans:task", pk=task.pk)
    return render(request, "plans/task_form.html", {"plan": plan, "form": form, "task": task})


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    today = timezone.localdate()
    is_group = task.children.exists()
    done = task.progress == Progress.DONE and task.completed_on is not None and task.completed_on <= today
    rating = None if is_group else effective_rating(task, today)
    return render(
        request,
        "plans/task_detail.html",
        {
            "task": task,
            "plan": task.plan,
            "is_group": is_group,
            "children": task.children.order_by("order", "pk"),
            "rating": rating,
            "rating_style": RATING_STYLES.get(rating, "") if rating else "",
            "proposal": propose_rating(task, today),
            "overdue": not is_group and not done and task.due_date is not None and task.due_date < today,
            "updates": task.updates.select_related("actor"),
            "history": timeline.entries(task, limit=100),
            "can_edit": can(request.user, "plan.edit", task.plan.agency_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    require(request.user, "plan.edit", task.plan.agency_id)
    form = ProgressForm(request.POST or None, initial={"progress": task.progress})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_progress(
                task,
                data["text"],
                data["progress"],
                data["completed_on"],
                request.user,
                on=data["on"],
                result=data["result"] or None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã cập nhật tiến độ nhiệm vụ %(code)s.") % {"code": task.code})
            return redirect("plans:task", pk=task.pk)
    return render(request, "plans/task_progress.html", {"task": task, "plan": task.plan, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def task_rating(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    require(request.user, "plan.edit", task.plan.agency_id)
    proposal = propose_rating(task, timezone.localdate())
    form = RatingForm(request.POST or None, initial={"rating": task.rating, "reason": task.rating_reason})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.set_rating(task, data["rating"] or None, data["reason"], request.user)
        except ValidationError as exc:
            apply_errors(form, exc, rename={"rating_reason": "reason"})
        else:
            messages.success(request, _("Đã lưu đánh giá nhiệm vụ %(code)s.") % {"code": task.code})
            return redirect("plans:task", pk=task.pk)
    return render(
        request, "plans/task_rating.html", {"task": task, "plan": task.plan, "form": form, "proposal": proposal}
    )
