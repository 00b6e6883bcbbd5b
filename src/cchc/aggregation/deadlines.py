"""Deadlines of the reports members send to an aggregator: which one applies, the defaults, and their changes.

A deadline (ReportingRegime) is set by an aggregator for one kind of report (reports.models.TemplateKind) and one
kind of period, for all its members or for one of its groups, and possibly for one period only. For a member, a
report kind and a period, the one that applies is the most specific (`DeadlineBook.for_member`):

1. the period's own deadline for a group holding the member;
2. the period's own deadline for all members;
3. the deadline of the kind of period for a group holding the member;
4. the deadline of the kind of period for all members.

A member in several groups with deadlines at the same level gets the earliest of them (the stricter one is the one
it must keep). Without any, nothing is late (the member can still be missing).

The cut-off day is the period's last day (Nghị định 09/2019/NĐ-CP Điều 12: the 14th of the period's last month,
statistics.periods). The sending day is set by the document that creates the report, not by Nghị định 09 itself;
DEFAULT_DEADLINES holds the defaults cchc offers, with their basis, for the aggregator to correct.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.agencies import scoping
from cchc.agencies.models import Agency, Membership, Role
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.reports.models import TemplateKind
from cchc.reports.wording import lower_first
from cchc.statistics.periods import Period, parse_period

from .models import PERIOD_KINDS, AggregationGroup, DeadlineRule, ReportingRegime

PERIOD_KIND_LABELS = dict(PERIOD_KINDS)
# Roles of the aggregator's own agency that may set its deadlines (besides a superuser and the command line).
MANAGER_ROLES = {Role.AGGREGATOR, Role.ADMIN, Role.LEADER}
MAX_WORKING_DAYS = 60
MAX_REMIND_BEFORE = 30
MAX_REMIND_AFTER = 90
# A period's own deadline may not be later than this after the period's end (a typing error, not a deadline).
MAX_AFTER_END = dt.timedelta(days=366)


# --- the defaults --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DefaultDeadline:
    report_kind: str
    period_kind: str
    name: str
    rule: str
    days: int
    basis: str


# Unconfirmed defaults (shared/domain tthc-details.md §6.2: Nghị định 09 does not fix the sending day for these
# reports; the one province rule read, Khánh Hòa's, gives 02 working days after the cut-off for every period). The
# page says so and the aggregator edits them to its province's document.
_BASIS = gettext_lazy(
    "Ngày chốt số liệu: Nghị định 09/2019/NĐ-CP Điều 12. Hạn gửi 02 ngày làm việc sau ngày chốt theo cách Quyết định "
    "01/2023/QĐ-UBND tỉnh Khánh Hòa (Điều 4) quy định; mặc định của cchc, chưa đối chiếu văn bản của tỉnh."
)
DEFAULT_DEADLINES: tuple[DefaultDeadline, ...] = (
    DefaultDeadline(TemplateKind.CCHC, "quarter", gettext_lazy("Báo cáo CCHC quý"), DeadlineRule.WORKING_DAYS, 2,
                    _BASIS),
    DefaultDeadline(TemplateKind.CCHC, "half", gettext_lazy("Báo cáo CCHC 6 tháng"), DeadlineRule.WORKING_DAYS, 2,
                    _BASIS),
    DefaultDeadline(TemplateKind.CCHC, "nine_months", gettext_lazy("Báo cáo CCHC 9 tháng"),
                    DeadlineRule.WORKING_DAYS, 2, _BASIS),
    DefaultDeadline(TemplateKind.CCHC, "year", gettext_lazy("Báo cáo CCHC năm"), DeadlineRule.WORKING_DAYS, 2,
                    _BASIS),
)  # fmt: skip


# --- who may set them --------------------------------------------------------------------------------------------


def may_manage(user, aggregator: Agency) -> bool:
    """The aggregator's own aggregators, admins and leaders (a superuser; the system when `user` is None)."""
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or scoping.role_in(user, aggregator) in MANAGER_ROLES


def managed_aggregators(user) -> QuerySet[Agency]:
    """The agencies whose deadlines `user` may set: where they act as aggregator, and the agencies collecting
    reports (with groups or aggregators of their own) where they are an admin or a leader."""
    from .submissions import aggregator_agencies

    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    if user.is_superuser:
        return aggregator_agencies(user)
    own = Membership.objects.filter(user=user, role__in=MANAGER_ROLES)
    collecting = Agency.objects.filter(Q(aggregation_groups__isnull=False) | Q(memberships__role=Role.AGGREGATOR))
    return Agency.objects.filter(
        Q(pk__in=own.filter(role=Role.AGGREGATOR).values("agency_id"))
        | (Q(pk__in=own.values("agency_id")) & Q(pk__in=collecting.values("pk")))
    ).distinct()


def _require(user, aggregator: Agency) -> None:
    if not may_manage(user, aggregator):
        raise PermissionDenied(_("Chỉ cơ quan tổng hợp (người tổng hợp, lãnh đạo, quản trị) đặt được hạn gửi báo cáo."))


# --- which deadline applies ----------------------------------------------------------------------------------------


@dataclass
class DeadlineBook:
    """The deadlines of one aggregator for one report kind and one period, read once for all its members."""

    aggregator: Agency
    period: Period
    report_kind: str
    regimes: list[ReportingRegime]
    groups_of: dict[int, set[int]]  # member id -> ids of the aggregator's groups holding it

    def for_member(self, member_id: int) -> tuple[dt.date | None, ReportingRegime | None]:
        """(the deadline, the rule it comes from) for `member_id`; (None, None) when none is set."""
        groups = self.groups_of.get(member_id, set())
        levels: dict[int, list[ReportingRegime]] = defaultdict(list)
        for regime in self.regimes:
            if regime.group_id is not None and regime.group_id not in groups:
                continue
            level = (0 if regime.period_key else 2) + (0 if regime.group_id is not None else 1)
            levels[level].append(regime)
        if not levels:
            return None, None
        candidates = levels[min(levels)]
        province = self.aggregator.province_id
        chosen = min(candidates, key=lambda r: (r.deadline(self.period, province), r.pk))
        return chosen.deadline(self.period, province), chosen


def deadline_book(aggregator: Agency, period: Period, report_kind: str = TemplateKind.CCHC,
                  member_ids: list[int] | None = None) -> DeadlineBook:  # fmt: skip
    """Two queries: the aggregator's deadlines for the kind and period, and which of its groups hold the members."""
    regimes = []
    if period.kind in PERIOD_KIND_LABELS:
        regimes = list(
            ReportingRegime.objects.filter(
                aggregator=aggregator, report_kind=report_kind, period_kind=period.kind, period_key__in=["", period.key]
            ).order_by("pk")
        )
    groups_of: dict[int, set[int]] = defaultdict(set)
    if any(r.group_id for r in regimes):
        through = AggregationGroup.members.through.objects.filter(aggregationgroup__aggregator=aggregator)
        if member_ids is not None:
            through = through.filter(agency_id__in=member_ids)
        for agency_id, group_id in through.values_list("agency_id", "aggregationgroup_id"):
            groups_of[agency_id].add(group_id)
    return DeadlineBook(aggregator, period, report_kind, regimes, dict(groups_of))


def deadline_for(
    aggregator: Agency | None, period: Period, member: Agency | int | None = None, report_kind: str = TemplateKind.CCHC
) -> dt.date | None:
    """The deadline `aggregator` set for `member`'s report of `report_kind` and `period` (None when none is)."""
    if aggregator is None:
        return None
    member_id = getattr(member, "pk", member)
    book = deadline_book(aggregator, period, report_kind, [member_id] if member_id else None)
    return book.for_member(member_id or 0)[0]


# --- changes -------------------------------------------------------------------------------------------------------


def default_name(report_kind: str, period_kind: str, period_key: str = "") -> str:
    kind = TemplateKind(report_kind).label if report_kind in TemplateKind.values else report_kind
    if period_key:
        try:
            return f"{kind} – {lower_first(parse_period(period_key).label)}"
        except ValueError:
            pass
    return f"{kind} – {str(PERIOD_KIND_LABELS.get(period_kind, period_kind)).lower()}"


def validate(regime: ReportingRegime) -> None:
    """Every rule of a deadline, with Vietnamese messages by field; normalises the period key and the unused day."""
    errors: dict[str, list[str]] = defaultdict(list)
    if regime.report_kind not in TemplateKind.values:
        errors["report_kind"].append(_("Loại báo cáo không hợp lệ."))
    if regime.period_kind not in PERIOD_KIND_LABELS:
        errors["period_kind"].append(_("Loại kỳ không hợp lệ (tháng, quý, 6 tháng, 9 tháng hoặc năm)."))
    if regime.group_id is not None and regime.group.aggregator_id != regime.aggregator_id:
        errors["group"].append(_("Nhóm này không thuộc cơ quan tổng hợp."))
    period: Period | None = None
    regime.period_key = (regime.period_key or "").strip()
    if regime.period_key:
        try:
            period = parse_period(regime.period_key)
        except ValueError as exc:
            errors["period_key"].append(str(exc))
        else:
            if period.kind == "range":
                errors["period_key"].append(_("Hạn riêng chỉ đặt cho một kỳ (tháng, quý, 6 tháng, 9 tháng, năm), "
                                              "không cho một khoảng ngày."))  # fmt: skip
            elif regime.period_kind in PERIOD_KIND_LABELS and period.kind != regime.period_kind:
                errors["period_key"].append(
                    _("«%(key)s» là kỳ %(found)s, không phải kỳ %(wanted)s: chọn lại loại kỳ hoặc sửa kỳ.") % {
                        "key": regime.period_key, "found": str(PERIOD_KIND_LABELS[period.kind]).lower(),
                        "wanted": str(PERIOD_KIND_LABELS[regime.period_kind]).lower()}
                )  # fmt: skip
            else:
                regime.period_key = period.key
    if regime.rule == DeadlineRule.FIXED_DATE:
        if not regime.period_key:
            errors["period_key"].append(_("Hạn gửi là một ngày cụ thể thì phải ghi kỳ áp dụng (ví dụ 2024)."))
        if regime.due_date is None:
            errors["due_date"].append(_("Chọn ngày hạn gửi."))
        elif period is not None and period.kind != "range":
            if regime.due_date < period.start:
                errors["due_date"].append(
                    _("Hạn gửi %(day)s trước ngày bắt đầu kỳ (%(start)s).")
                    % {"day": f"{regime.due_date:%d/%m/%Y}", "start": f"{period.start:%d/%m/%Y}"}
                )
            elif regime.due_date > period.end + MAX_AFTER_END:
                errors["due_date"].append(
                    _("Hạn gửi %(day)s quá xa sau ngày cuối kỳ (%(end)s): kiểm tra lại năm.")
                    % {"day": f"{regime.due_date:%d/%m/%Y}", "end": f"{period.end:%d/%m/%Y}"}
                )
    elif regime.rule == DeadlineRule.WORKING_DAYS:
        regime.due_date = None
        if not 0 <= regime.days <= MAX_WORKING_DAYS:
            errors["days"].append(_("Số ngày làm việc sau ngày chốt từ 0 đến %(n)s.") % {"n": MAX_WORKING_DAYS})
    elif regime.rule == DeadlineRule.DAY_OF_NEXT_MONTH:
        regime.due_date = None
        if not 1 <= regime.days <= 31:
            errors["days"].append(_("Ngày của tháng sau ngày chốt từ 1 đến 31."))
    else:
        errors["rule"].append(_("Cách tính hạn không hợp lệ."))
    if regime.remind_before_days > MAX_REMIND_BEFORE:
        errors["remind_before_days"].append(_("Nhắc trước hạn tối đa %(n)s ngày.") % {"n": MAX_REMIND_BEFORE})
    if regime.remind_after_days > MAX_REMIND_AFTER:
        errors["remind_after_days"].append(_("Nhắc sau hạn tối đa %(n)s ngày.") % {"n": MAX_REMIND_AFTER})
    regime.name = " ".join((regime.name or "").split()) or default_name(
        regime.report_kind, regime.period_kind, regime.period_key
    )
    if not errors:
        same = ReportingRegime.objects.filter(
            aggregator_id=regime.aggregator_id, group_id=regime.group_id, report_kind=regime.report_kind,
            period_kind=regime.period_kind, period_key=regime.period_key,
        ).exclude(pk=regime.pk)  # fmt: skip
        if same.exists():
            errors["__all__"].append(_("Đã có hạn gửi cho cùng nhóm, loại báo cáo và kỳ này: hãy sửa hạn đó."))
    if errors:
        raise ValidationError(dict(errors))


_AUDITED = ["name", "group", "report_kind", "period_kind", "period_key", "rule", "days", "due_date",
            "remind_before_days", "remind_after_days", "basis"]  # fmt: skip


def save_deadline(regime: ReportingRegime, actor) -> ReportingRegime:
    """Create or change a deadline of `regime.aggregator` (validated, audited)."""
    _require(actor, regime.aggregator)
    validate(regime)
    with transaction.atomic():
        before = None
        if regime.pk:
            before = audit.snapshot(ReportingRegime.objects.select_for_update().get(pk=regime.pk), _AUDITED)
        try:
            with transaction.atomic():
                regime.save()
        except IntegrityError as exc:  # the same deadline created at the same moment by someone else
            raise ValidationError(_("Đã có hạn gửi cho cùng nhóm, loại báo cáo và kỳ này: hãy sửa hạn đó.")) from exc
        after = audit.snapshot(regime, _AUDITED)
        if before is None:
            audit.record(regime, actor, AuditEntry.Action.CREATE, changes=after,
                         summary=_("Đặt hạn gửi báo cáo: %(name)s") % {"name": regime.name})  # fmt: skip
        elif changes := audit.diff(before, after):
            audit.record(regime, actor, AuditEntry.Action.UPDATE, changes=changes,
                         summary=_("Sửa hạn gửi báo cáo: %(name)s") % {"name": regime.name})  # fmt: skip
    return regime


def delete_deadline(regime: ReportingRegime, actor) -> None:
    _require(actor, regime.aggregator)
    with transaction.atomic():
        audit.record(regime, actor, AuditEntry.Action.DELETE, changes=audit.snapshot(regime, _AUDITED),
                     summary=_("Xóa hạn gửi báo cáo: %(name)s") % {"name": regime.name})  # fmt: skip
        regime.delete()


def install_defaults(aggregator: Agency, actor) -> list[ReportingRegime]:
    """Create the default deadlines the aggregator does not have yet (for all members; idempotent)."""
    _require(actor, aggregator)
    created = []
    with transaction.atomic():
        for spec in DEFAULT_DEADLINES:
            exists = ReportingRegime.objects.filter(
                aggregator=aggregator, group__isnull=True, report_kind=spec.report_kind, period_kind=spec.period_kind,
                period_key="",
            ).exists()  # fmt: skip
            if exists:
                continue
            regime = ReportingRegime(
                aggregator=aggregator, name=str(spec.name), report_kind=spec.report_kind, period_kind=spec.period_kind,
                rule=spec.rule, days=spec.days, basis=str(spec.basis)[:255],
            )  # fmt: skip
            created.append(save_deadline(regime, actor))
    return created


def describe_rule(regime: ReportingRegime) -> str:
    """ "02 ngày làm việc sau ngày chốt số liệu", "ngày 20 của tháng sau ngày chốt", "ngày 05/12/2024"."""
    if regime.rule == DeadlineRule.FIXED_DATE and regime.due_date:
        return _("ngày %(day)s") % {"day": f"{regime.due_date:%d/%m/%Y}"}
    if regime.rule == DeadlineRule.DAY_OF_NEXT_MONTH:
        return _("ngày %(n)s của tháng sau ngày chốt số liệu") % {"n": regime.days}
    return _("%(n)s ngày làm việc sau ngày chốt số liệu") % {"n": f"{regime.days:02d}"}


def current_period(period_kind: str, today: dt.date) -> Period:
    """The period of `period_kind` (Nghị định 09 cut-offs) whose window holds `today`, or for nine months the one of
    today's reporting year."""
    from cchc.statistics import periods

    if period_kind == "month":
        return periods.current_month(today)
    if period_kind == "quarter":
        return periods.current_quarter(today)
    # From the 15th, a day belongs to the window that closes next month (15/12 opens the next year).
    shifted = (today.replace(day=1) + dt.timedelta(days=32)) if today.day >= periods.ND09_CUTOFF_DAY else today
    if period_kind == "half":
        return periods.half(shifted.year, 1 if shifted.month <= 6 else 2)
    if period_kind == "nine_months":
        return periods.nine_months(shifted.year)
    return periods.year(shifted.year)


def recent_periods(period_kind: str, today: dt.date, count: int = 3) -> list[Period]:
    """The current period of the kind and the ones before it (newest first)."""
    from cchc.statistics.periods import previous

    found = [current_period(period_kind, today)]
    while len(found) < count:
        found.append(previous(found[-1]))
    return found


@dataclass
class DeadlineRow:
    """One deadline as the aggregator's page lists it, with the day it gives for an example period."""

    regime: ReportingRegime
    example: Period | None
    example_day: dt.date | None

    @property
    def applies_to(self) -> str:
        return self.regime.group.name if self.regime.group_id else _("Mọi cơ quan báo cáo")

    @property
    def period_text(self) -> str:
        kind = str(PERIOD_KIND_LABELS.get(self.regime.period_kind, self.regime.period_kind))
        if self.regime.period_key:
            try:
                period = parse_period(self.regime.period_key).label
                return _("%(kind)s: chỉ %(period)s") % {"kind": kind, "period": period}
            except ValueError:
                return kind
        return kind

    @property
    def rule_text(self) -> str:
        return describe_rule(self.regime)

    @property
    def is_default(self) -> bool:
        return self.regime.basis == str(_BASIS)[:255]


def deadline_rows(aggregator: Agency, today: dt.date) -> list[DeadlineRow]:
    rows = []
    for regime in ReportingRegime.objects.filter(aggregator=aggregator).select_related("group"):
        try:
            key = regime.period_key
            example = parse_period(key) if key else current_period(regime.period_kind, today)
        except ValueError:
            example = None
        day = regime.deadline(example, aggregator.province_id) if example is not None else None
        rows.append(DeadlineRow(regime, example, day))
    # Report kind, then month, quarter, 6 months, 9 months, year; the general rule before a period's own.
    order = {kind: n for n, (kind, _label) in enumerate(PERIOD_KINDS)}
    kinds = {kind: n for n, kind in enumerate(TemplateKind.values)}
    rows.sort(key=lambda row: (kinds.get(row.regime.report_kind, 99), order.get(row.regime.period_kind, 99),
                               row.regime.period_key, row.regime.group_id or 0, row.regime.pk))  # fmt: skip
    return rows
