"""Validating one row and deriving what lifecycle.py would have stored for it: status, due date with the
supplement pause, outcome, and one event per dated step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from cchc import calendar
from cchc.procedures.models import SupplementClock
from cchc.text import clean_line, code_problem

from ..models import Channel, EventKind, NationalStatus, Outcome, Regime, Status
from .columns import _EMAIL, _STATUS_ACCEPTS, _VOCABULARIES, COLUMNS, MAX_LENGTHS, column_label
from .sources import _cell_text
from .values import _Context, _day, _lookup, _moment_text, _national_status, _parse_moment, _RowProblem

# --- one row -----------------------------------------------------------------------------------------------------

_DATE_COLUMNS = (
    "received_at",
    "due_at",
    "supplement_requested_at",
    "supplemented_at",
    "resolved_at",
    "returned_at",
    "refused_at",
    "withdrawn_at",
    "promised_date",
)


_TEXT_COLUMNS = (
    "applicant_id_number",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
    "summary",
    "national_code",
)


def _text(value: Any, procedure: bool = False) -> str:
    """A cell as one line of clean text (cchc.text.clean_line: NFC, no invisible or control characters, spaces
    collapsed), so that look-alike codes are one code; a procedure code Excel turned into a number gets its six
    decimals back."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_line(value)
    if procedure and isinstance(value, float):
        return f"{value:.6f}"
    return _cell_text(value)


class _RowParser:
    def __init__(self, ctx: _Context, mapping: dict[str, int]) -> None:
        self.ctx = ctx
        self.mapping = mapping
        self.present = frozenset(mapping)
        self.mapping_items = list(mapping.items())
        self.date_columns = [name for name in _DATE_COLUMNS if name in mapping]
        self.text_columns = [name for name in _TEXT_COLUMNS if name in mapping]
        self.limits = [(name, limit) for name, limit in MAX_LENGTHS.items() if name in mapping]
        self.labels = {name: column_label(name) for name in COLUMNS}
        self._memo: dict[tuple[str, Any], Any] = {}

    def lookup(self, name: str, value: Any) -> Any:
        """A vocabulary value (channel, applicant kind, yes/no, status), memoised: exports repeat a few spellings."""
        key = (name, value)
        try:
            return self._memo[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable cell value
            key = None
        if name == "status":
            found = _national_status(value)
        else:
            table, message = _VOCABULARIES[name]
            found = _lookup(table, value, message)
        if key is not None and len(self._memo) < 10_000:
            self._memo[key] = found
        return found

    def parse(self, values: list[Any]) -> tuple[str, dict[str, Any], list[tuple]]:
        """(code, dossier fields, events as (kind, at, note, new_promised_date)); raises _RowProblem."""
        ctx = self.ctx
        width = len(values)
        raw: dict[str, Any] = {}
        for name, index in self.mapping_items:
            raw[name] = values[index] if index < width else None
        problems: list[str] = []
        labels = self.labels

        code = _text(raw["code"])
        procedure_code = _text(raw["procedure_code"], procedure=True)
        applicant_name = _text(raw["applicant_name"])
        if not code or not procedure_code or not applicant_name:
            for name, value in (("code", code), ("procedure_code", procedure_code), ("applicant_name", applicant_name)):
                if not value:
                    problems.append(_("Thiếu giá trị bắt buộc “%(column)s”.") % {"column": labels[name]})
        for name, value in (("code", code), ("procedure_code", procedure_code)):
            problem = code_problem(value, labels[name]) if value and not value.isascii() else None
            if problem:
                problems.append(problem)

        moments: dict[str, tuple[dt.datetime, bool] | None] = dict.fromkeys(_DATE_COLUMNS)
        for name in self.date_columns:
            value = raw[name]
            if value is None or value == "":
                continue
            try:
                moments[name] = _parse_moment(value, ctx, labels[name])
            except _RowProblem as exc:
                problems.append(str(exc))
        if moments["received_at"] is None and not any(labels["received_at"] in p for p in problems):
            problems.append(_("Thiếu giá trị bắt buộc “%(column)s”.") % {"column": labels["received_at"]})

        data: dict[str, Any] = {}
        lookup = self.lookup
        try:
            data["channel"] = lookup("channel", raw.get("channel")) or Channel.DIRECT
        except _RowProblem as exc:
            problems.append(str(exc))
        for name in ("result_channel", "applicant_kind", "digitised", "result_digitised"):
            if name in self.present:
                try:
                    data[name] = lookup(name, raw.get(name))
                except _RowProblem as exc:
                    problems.append(str(exc))
        national_status = None
        if "status" in self.present:
            try:
                national_status = lookup("status", raw.get("status"))
            except _RowProblem as exc:
                problems.append(str(exc))

        for name in self.text_columns:
            data[name] = _text(raw[name])
        data["applicant_name"] = applicant_name
        email = data.get("applicant_email")
        if email and not _EMAIL.match(email):
            problems.append(_("Email “%(value)s” không hợp lệ.") % {"value": email})
        for name, limit in self.limits:
            value = code if name == "code" else data.get(name)
            if value and len(value) > limit:
                problems.append(_("“%(column)s” dài quá %(limit)s ký tự.") % {"column": labels[name], "limit": limit})
        reason = _text(raw["refusal_reason"]) if "refusal_reason" in raw else ""
        if problems:
            raise _RowProblem(" ".join(problems))

        return code, *self._derive(code, procedure_code, data, moments, reason, national_status)

    def _derive(self, code, procedure_code, data, moments, reason, national_status):
        ctx = self.ctx
        labels = self.labels
        zone = ctx.zone
        problems: list[str] = []

        received_at, received_has_time = moments["received_at"]
        if not received_has_time:
            # A receipt date without a time counts from the office opening of that day.
            received_at = received_at.replace(hour=ctx.opens.hour, minute=ctx.opens.minute)

        def step(name: str) -> dt.datetime | None:
            found = moments.get(name)
            if found is None:
                return None
            moment, has_time = found
            if not has_time:
                # A step dated without a time happened during that working day: take the closing time, so that it
                # never falls before a receipt on the same day.
                moment = moment.replace(hour=ctx.closes.hour, minute=ctx.closes.minute)
            return moment

        steps = {name: step(name) for name in _DATE_COLUMNS[2:8]}
        received_on = received_at.date()

        # Future dates: a moment with a time is compared with now (a few minutes of clock skew allowed), a date
        # without time with today.
        for name in ("received_at", *_DATE_COLUMNS[2:8]):
            found = moments.get(name)
            if found is None:
                continue
            moment, has_time = found
            if (has_time and moment > ctx.latest) or (not has_time and moment.date() > ctx.today):
                problems.append(
                    _("%(column)s (%(value)s) nằm trong tương lai.")
                    % {"column": labels[name], "value": _moment_text(moment, zone) if has_time else _day(moment)}
                )
        if problems:
            raise _RowProblem(" ".join(problems))

        procedure = ctx.procedure_on(procedure_code, received_on)

        requested = steps["supplement_requested_at"]
        supplemented = steps["supplemented_at"]
        resolved = steps["resolved_at"]
        returned = steps["returned_at"]
        refused = steps["refused_at"]
        withdrawn = steps["withdrawn_at"]

        def before(later: str, earlier: str, later_at, earlier_at) -> None:
            if later_at is not None and earlier_at is not None and later_at < earlier_at:
                problems.append(
                    _("%(later)s (%(later_at)s) trước %(earlier)s (%(earlier_at)s).")
                    % {
                        "later": labels[later],
                        "later_at": _moment_text(later_at, zone),
                        "earlier": labels[earlier],
                        "earlier_at": _moment_text(earlier_at, zone),
                    }
                )

        if resolved is not None and refused is not None:
            problems.append(
                _("Hồ sơ không thể vừa có “%(a)s” vừa có “%(b)s”.")
                % {"a": labels["resolved_at"], "b": labels["refused_at"]}
            )
        if withdrawn is not None and (resolved is not None or refused is not None):
            other = "resolved_at" if resolved is not None else "refused_at"
            problems.append(
                _("Hồ sơ không thể vừa có “%(a)s” vừa có “%(b)s”.") % {"a": labels[other], "b": labels["withdrawn_at"]}
            )
        if returned is not None and resolved is None:
            problems.append(
                _("Có “%(a)s” nhưng không có “%(b)s”.") % {"a": labels["returned_at"], "b": labels["resolved_at"]}
            )
        if supplemented is not None and requested is None:
            problems.append(
                _("Có “%(a)s” nhưng không có “%(b)s”.")
                % {"a": labels["supplemented_at"], "b": labels["supplement_requested_at"]}
            )
        if resolved is not None and requested is not None and supplemented is None:
            problems.append(
                _("Có “%(a)s” trong khi hồ sơ còn chờ bổ sung (không có “%(b)s”).")
                % {"a": labels["resolved_at"], "b": labels["supplemented_at"]}
            )
        if refused is not None and not reason:
            problems.append(_("Hồ sơ bị từ chối phải có “%(column)s”.") % {"column": labels["refusal_reason"]})
        if reason and refused is None:
            problems.append(
                _("Có “%(a)s” nhưng không có “%(b)s”.") % {"a": labels["refusal_reason"], "b": labels["refused_at"]}
            )
        before("supplement_requested_at", "received_at", requested, received_at)
        before("supplemented_at", "supplement_requested_at", supplemented, requested)
        latest_step, latest_name = received_at, "received_at"
        for name, moment in (("supplement_requested_at", requested), ("supplemented_at", supplemented)):
            if moment is not None and moment >= latest_step:
                latest_step, latest_name = moment, name
        for name, moment in (("resolved_at", resolved), ("refused_at", refused), ("withdrawn_at", withdrawn)):
            before(name, latest_name, moment, latest_step)
        before("returned_at", "resolved_at", returned, resolved)

        # The legal due moment: as written on the receipt when the file carries it, else computed like the desk.
        given_due = moments.get("due_at")
        try:
            if given_due is not None:
                due_at, has_time = given_due
                if not has_time:
                    due_at = due_at.replace(hour=ctx.closes.hour, minute=ctx.closes.minute)
                before("due_at", "received_at", due_at, received_at)
            else:
                due_at = ctx.due(procedure, received_at)
            paused_at = None
            if requested is not None:
                if supplemented is not None:
                    if procedure.supplement_clock == SupplementClock.RESTART:
                        due_at = ctx.due(procedure, supplemented)
                    else:
                        # The clock stops from the request to the supplement (NĐ 61/2018 Điều 19; QĐ 766 §2.1).
                        paused = ctx.calendar.working_days_between(
                            requested.astimezone(zone).date(), supplemented.astimezone(zone).date()
                        )
                        due_at = calendar.extend_by_working_days(due_at, paused, ctx.province_id)
                else:
                    paused_at = requested
        except (calendar.OutOfRange, ValueError) as exc:
            raise _RowProblem(_("Không tính được hạn giải quyết: %(error)s") % {"error": exc}) from exc
        due_local = due_at.astimezone(zone)
        due_date = due_local.date()

        promised = moments.get("promised_date")
        promised_date = promised[0].date() if promised is not None else None
        if promised_date is not None and promised_date <= due_date:
            problems.append(
                _("%(column)s (%(value)s) phải sau hạn giải quyết (%(due)s).")
                % {"column": labels["promised_date"], "value": _day(promised_date), "due": _day(due_date)}
            )
        if problems:
            raise _RowProblem(" ".join(problems))

        # How processing ended: resolved > refused > withdrawn (QĐ 766 §2.1 priority).
        if resolved is not None:
            status = Status.RETURNED if returned is not None else Status.RESOLVED
            outcome, ended_at = Outcome.RESOLVED, resolved
        elif refused is not None:
            status, outcome, ended_at = Status.REFUSED, Outcome.REFUSED, refused
        elif withdrawn is not None:
            status, outcome, ended_at = Status.WITHDRAWN, Outcome.WITHDRAWN, withdrawn
        else:
            outcome, ended_at = "", None
            if paused_at is not None:
                status = Status.WAITING_SUPPLEMENT
            elif supplemented is not None or national_status == 4:
                status = Status.IN_PROCESS
            else:
                status = Status.RECEIVED
        if national_status is not None and national_status not in _STATUS_ACCEPTS[status]:
            raise _RowProblem(
                _("Trạng thái “%(given)s” không khớp với các ngày trong dòng (theo các ngày: %(derived)s).")
                % {
                    "given": f"{national_status} – {NationalStatus(national_status).label}",
                    "derived": Status(status).label,
                }
            )

        data.update(
            procedure_id=procedure.pk,
            regime=Regime.ND118 if received_on >= ctx.nd118_from else Regime.ND61,
            received_at=received_at,
            received_on=received_on,
            due_at=due_at,
            due_date=due_date,
            promised_date=promised_date,
            status=status,
            supplement_requests=1 if requested is not None else 0,
            paused_at=paused_at,
            ended_at=ended_at,
            ended_on=ended_at.astimezone(zone).date() if ended_at is not None else None,
            outcome=outcome,
            returned_at=returned,
        )
        if "result_channel" in data and data["result_channel"] is None:
            data["result_channel"] = data["channel"]
        for name in ("applicant_kind", "digitised", "result_digitised"):
            if name in data and data[name] is None:
                del data[name]

        events: list[tuple] = [(EventKind.RECEIVED, received_at, "", None)]
        if requested is not None:
            events.append((EventKind.SUPPLEMENT_REQUESTED, requested, "", None))
        if supplemented is not None:
            events.append((EventKind.SUPPLEMENTED, supplemented, "", None))
        if promised_date is not None:
            # The file gives the new date, not the day of the apology: record it at the latest moment the rule
            # allows (the close of the day before the due date, tthc.md §2), never before the receipt.
            apology_at = max(
                received_at,
                dt.datetime.combine(due_date - dt.timedelta(days=1), ctx.closes, tzinfo=zone),
            )
            if ended_at is not None:
                apology_at = min(apology_at, ended_at)
            events.append((EventKind.APOLOGY_ISSUED, apology_at, "", promised_date))
        if resolved is not None:
            events.append((EventKind.RESOLVED, resolved, "", None))
        if returned is not None:
            events.append((EventKind.RESULT_RETURNED, returned, "", None))
        if refused is not None:
            events.append((EventKind.REFUSED, refused, reason, None))
        if withdrawn is not None:
            events.append((EventKind.WITHDRAWN, withdrawn, "", None))
        return data, events
