"""The notification pages: a user's own list (read / unread, open marks read), and the outbox of an agency for its
admins (state, attempts, last error; send a failed message again)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.agencies.models import Agency, Role
from cchc.agencies.scoping import memberships

from . import outbox
from .models import Notification, OutboxMessage, OutboxState

PAGE_SIZE = 30
UNREAD = "chua-doc"


def _own(request: HttpRequest, pk: int) -> Notification:
    try:
        return Notification.objects.get(pk=pk, recipient=request.user)
    except Notification.DoesNotExist as exc:
        raise Http404(_("Không tìm thấy thông báo.")) from exc


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("loc") == UNREAD
    notifications = Notification.objects.filter(recipient=request.user).select_related("dossier")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "query": f"loc={UNREAD}" if unread_only else "",
            "outbox_visible": _sees_outbox(request.user),
        },
    )


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification marks it read and goes where it points (a POST: it changes the notification)."""
    notification = _own(request, pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:list")


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read ("doc") or unread ("chua-doc")."""
    _own(request, pk)
    read = request.POST.get("trang-thai") != UNREAD
    Notification.objects.filter(pk=pk).update(read_at=timezone.now() if read else None)
    return _back(request)


@login_required
@require_POST
def notification_mark_all(request: HttpRequest) -> HttpResponse:
    count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
    return _back(request)


# --- the outbox, for agency admins ------------------------------------------------------------------------------


def _sees_outbox(user) -> bool:
    return user.is_superuser or any(m.role == Role.ADMIN for m in memberships(user))


def _admin_agencies(user) -> list[int]:
    """The agencies whose outbox the user may see: those they administer (every agency for a superuser)."""
    if user.is_superuser:
        return list(Agency.objects.values_list("pk", flat=True))
    agencies = [m.agency_id for m in memberships(user) if m.role == Role.ADMIN]
    if not agencies:
        raise PermissionDenied(_("Chỉ quản trị cơ quan mới xem được hộp thư đi."))
    return agencies


@login_required
@require_GET
def outbox_list(request: HttpRequest) -> HttpResponse:
    agencies = _admin_agencies(request.user)
    rows = OutboxMessage.objects.filter(agency_id__in=agencies).select_related("dossier", "agency")
    state = request.GET.get("trang-thai", "")
    if state in OutboxState.values:
        rows = rows.filter(state=state)
    else:
        state = ""
    page = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "notifications/outbox.html",
        {
            "page": page,
            "state": state,
            "states": OutboxState.choices,
            "query": f"trang-thai={state}" if state else "",
            "failed": OutboxState.FAILED,
            "several_agencies": len(agencies) > 1,
        },
    )


@login_required
@require_POST
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    agencies = _admin_agencies(request.user)
    try:
        message = OutboxMessage.objects.get(pk=pk, agency_id__in=agencies)
    except OutboxMessage.DoesNotExist as exc:
        raise Http404(_("Không tìm thấy thư, tin nhắn.")) from exc
    try:
        outbox.retry(message, request.user)
    except outbox.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        text = _("Đã xếp thư, tin nhắn gửi tới %(to)s vào hàng gửi lại.") % {"to": message.recipient_address}
        messages.success(request, text)
    return _back(request)
