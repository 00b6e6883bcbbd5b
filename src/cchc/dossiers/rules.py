"""The rules of the dossier lifecycle that do not write anything: which moments a step may take (not in the future,
in order), the regime in force on a day, and the guards that say whether a step is allowed in a dossier's state.
dossiers/lifecycle.py runs the steps; allowed_actions asks these same guards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.text import nfc

from .models import Dossier, EventKind, Regime, Status

# A clock a little ahead of the server's (a desk PC, a portal) must not make a real receipt "in the future".
CLOCK_SKEW = dt.timedelta(minutes=5)
FINAL_STATUSES = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.RETURNED})
OPEN_STATUSES = frozenset({Status.RECEIVED, Status.IN_PROCESS, Status.WAITING_SUPPLEMENT})


class TransitionError(ValidationError):
    """A lifecycle step that the rules do not allow; the message is meant for the user."""


# --- small helpers ------------------------------------------------------------------------------------------


def fmt_day(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def fmt_moment(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}"


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def nd118_effective() -> dt.date:
    """First day of the Nghị định 118/2025/NĐ-CP one-stop regime (tthc.md "Two legal regimes")."""
    value = getattr(settings, "CCHC", {}).get("ND118_EFFECTIVE", "2025-07-01")
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def regime_on(day: dt.date) -> str:
    return Regime.ND118 if day >= nd118_effective() else Regime.ND61


def step_moment(at: dt.datetime | None) -> dt.datetime:
    """The moment of a step: now by default, aware, and not in the future."""
    if at is None:
        return timezone.now()
    if not isinstance(at, dt.datetime):
        raise TransitionError(_("Thời điểm phải gồm ngày và giờ."))
    if timezone.is_naive(at):
        raise TransitionError(_("Thời điểm phải có múi giờ."))
    if at > timezone.now() + CLOCK_SKEW:
        raise TransitionError(_("Thời điểm %(at)s nằm trong tương lai.") % {"at": fmt_moment(at)})
    return at


def required_text(text: str | None, message: str) -> str:
    value = nfc(text or "").strip()
    if not value:
        raise TransitionError(message)
    return value


# --- guards: the state a step needs (shared by the steps and allowed_actions) -------------------------------


def not_final(dossier: Dossier) -> None:
    if dossier.status == Status.WITHDRAWN:
        raise TransitionError(_("Hồ sơ đã được rút, không thể thực hiện thêm thao tác."))
    if dossier.status == Status.REFUSED:
        raise TransitionError(_("Hồ sơ đã bị từ chối giải quyết, không thể thực hiện thêm thao tác."))
    if dossier.status == Status.RETURNED:
        raise TransitionError(_("Hồ sơ đã trả kết quả, không thể thực hiện thêm thao tác."))


def in_processing(dossier: Dossier, action: str) -> None:
    """RECEIVED or IN_PROCESS: not waiting for the applicant, not ended."""
    not_final(dossier)
    if dossier.status == Status.WAITING_SUPPLEMENT:
        raise TransitionError(_("Không thể %(action)s: hồ sơ đang chờ công dân bổ sung.") % {"action": action})
    if dossier.status == Status.RESOLVED:
        raise TransitionError(_("Không thể %(action)s: hồ sơ đã có kết quả giải quyết.") % {"action": action})


def guard_assign(dossier: Dossier, at: dt.datetime) -> None:
    in_processing(dossier, _("chuyển đơn vị xử lý"))


def guard_request_supplement(dossier: Dossier, at: dt.datetime) -> None:
    not_final(dossier)
    # Only one request for supplement is allowed (NĐ 61/2018 Điều 19; under NĐ 118/2025 too, tthc-details §1.6).
    if dossier.supplement_requests >= 1:
        raise TransitionError(_("Chỉ được yêu cầu bổ sung hồ sơ một lần; hồ sơ này đã được yêu cầu bổ sung."))
    in_processing(dossier, _("yêu cầu bổ sung"))


def guard_supplement(dossier: Dossier, at: dt.datetime) -> None:
    not_final(dossier)
    if dossier.status != Status.WAITING_SUPPLEMENT or dossier.paused_at is None:
        raise TransitionError(_("Không thể ghi nhận bổ sung: hồ sơ không ở trạng thái chờ bổ sung."))


def guard_apology(dossier: Dossier, at: dt.datetime) -> None:
    not_final(dossier)
    if dossier.status not in OPEN_STATUSES:
        raise TransitionError(_("Không thể xin lỗi, hẹn lại: hồ sơ đã kết thúc xử lý."))
    # Re-dating is allowed once only (NĐ 61/2018; TT 03/2025 Mẫu 04; tthc-details §1.8).
    if dossier.promised_date is not None or dossier.events.filter(kind=EventKind.APOLOGY_ISSUED).exists():
        raise TransitionError(_("Chỉ được xin lỗi và hẹn lại ngày trả kết quả một lần; hồ sơ này đã được hẹn lại."))
    # "Chậm nhất 01 ngày trước ngày hết hạn" (tthc.md §2): the apology must go out before the due day.
    latest = dossier.due_date - dt.timedelta(days=1)
    if local_date(at) > latest:
        raise TransitionError(
            _(
                "Đã quá thời hạn xin lỗi và hẹn lại: văn bản phải được gửi chậm nhất 01 ngày trước ngày hẹn trả "
                "(hạn gửi: %(latest)s, ngày hẹn trả: %(due)s)."
            )
            % {"latest": fmt_day(latest), "due": fmt_day(dossier.due_date)}
        )


def guard_resolve(dossier: Dossier, at: dt.datetime) -> None:
    in_processing(dossier, _("ghi nhận kết quả"))


def guard_return(dossier: Dossier, at: dt.datetime) -> None:
    not_final(dossier)
    if dossier.status != Status.RESOLVED:
        raise TransitionError(_("Không thể trả kết quả: hồ sơ chưa có kết quả giải quyết."))


def guard_end(dossier: Dossier, at: dt.datetime) -> None:
    not_final(dossier)
    if dossier.status not in OPEN_STATUSES:
        raise TransitionError(_("Hồ sơ đã có kết quả giải quyết, không thể từ chối hoặc rút."))


GUARDS: dict[str, Callable[[Dossier, dt.datetime], None]] = {
    EventKind.ASSIGNED: guard_assign,
    EventKind.SUPPLEMENT_REQUESTED: guard_request_supplement,
    EventKind.SUPPLEMENTED: guard_supplement,
    EventKind.APOLOGY_ISSUED: guard_apology,
    EventKind.RESOLVED: guard_resolve,
    EventKind.RESULT_RETURNED: guard_return,
    EventKind.REFUSED: guard_end,
    EventKind.WITHDRAWN: guard_end,
}


