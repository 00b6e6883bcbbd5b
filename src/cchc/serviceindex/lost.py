"""The dossiers, procedures and feedback items behind an indicator's lost points: base & ~good of measures.py for
the dossiers (the rows the counts counted, by construction), the catalogue rows that fail the indicator's test, the
feedback items of satisfaction.items(). Each row carries the reason in words; the page paginates the querysets.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cchc.dossiers.models import Channel, Dossier, Outcome
from cchc.feedback.models import Feedback
from cchc.procedures.models import OnlineService, Procedure
from cchc.statistics import classification
from cchc.statistics.service import scoped_dossiers

from . import measures, satisfaction
from .measures import Window
from .models import Measure
from .parameters import Group, Indicator, Parameters
from .service import catalogue_rows, dossier_counts


def dossiers(w: Window, indicator: Indicator, agency_ids: list[int]) -> QuerySet[Dossier]:
    """The dossiers that cost the indicator points, oldest receipt first."""
    conditions = measures.DOSSIER_MEASURES.get(indicator.measure)
    if conditions is None:
        return Dossier.objects.none()
    counted = conditions(w, indicator)
    return (
        scoped_dossiers(agency_ids)
        .filter(w.relevant())
        .filter(counted.base & ~counted.good)
        .select_related("procedure", "agency")
        .order_by("received_at", "pk")
    )


def feedback(w: Window, indicator: Indicator, agency_ids: list[int]) -> QuerySet[Feedback]:
    what = {
        Measure.FEEDBACK_ON_TIME: satisfaction.LATE_FEEDBACK,
        Measure.FEEDBACK_SATISFACTION: satisfaction.RECEIVED_FEEDBACK,
        Measure.DOSSIER_SATISFACTION: satisfaction.COMPLAINTS,
    }.get(indicator.measure)
    if what is None:
        return Feedback.objects.none()
    return satisfaction.items(w, agency_ids, what)


def procedures(w: Window, indicator: Indicator, agency_ids: list[int]) -> QuerySet[Procedure]:
    """The catalogue rows in force that fail a catalogue indicator; for 4.5b the newest version of each procedure
    with dossiers of people but none using population data."""
    if indicator.measure == Measure.POPULATION_PROCEDURES:
        _, seen = dossier_counts(w, _ONLY_PROCEDURE_COUNTS, agency_ids)
        missing = seen.people - seen.population
        ids = [
            pk
            for agency_id, code in sorted(missing)
            if (
                pk := Procedure.objects.filter(agency_id=agency_id, code=code)
                .order_by("-effective_from")
                .values_list("pk", flat=True)
                .first()
            )  # fmt: skip
        ]
        return Procedure.objects.filter(pk__in=ids).select_related("agency").order_by("agency_id", "code")
    test = measures.CATALOGUE_MEASURES.get(indicator.measure)
    if test is None:
        return Procedure.objects.none()
    seen = measures.CodesSeen()
    if indicator.measure in (Measure.ONLINE_SERVICES_USED, Measure.FEE_PROCEDURES_PAID_ONLINE):
        _, seen = dossier_counts(w, _ONLY_PROCEDURE_COUNTS, agency_ids)
    failing = [row.pk for row in catalogue_rows(w.last, agency_ids) if _fails(test(row, seen))]
    return Procedure.objects.filter(pk__in=failing).select_related("agency").order_by("agency_id", "code")


def _fails(test: tuple[bool, bool]) -> bool:
    in_base, in_good = test
    return in_base and not in_good


# Parameters without indicators: the grouped count then computes only its per-procedure columns (the same codes
# the index counted).
_ONLY_PROCEDURE_COUNTS = Parameters("", "", None, "", (Group("", "", ()),))


# --- reasons in words ----------------------------------------------------------------------------------------------


def _date(day) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def dossier_reason(w: Window, indicator: Indicator, dossier: Dossier) -> str:
    m = indicator.measure
    if m in (Measure.ON_TIME, Measure.DOSSIER_SATISFACTION):
        flags = classification.classify(dossier, w.period, today=w.today)
        allowed = measures.max_supplements(indicator)
        if flags.resolved_late:
            return _("Giải quyết quá hạn: xong ngày %(end)s, hạn %(due)s") % {
                "end": _date(dossier.ended_on), "due": _date(dossier.due_date)}  # fmt: skip
        if flags.in_progress_overdue:
            return _("Đang giải quyết, quá hạn từ sau ngày %(due)s") % {"due": _date(dossier.due_date)}
        if dossier.supplement_requests > allowed:
            return _("Yêu cầu bổ sung %(n)s lần (chỉ được %(allowed)s lần): tính là quá hạn") % {
                "n": dossier.supplement_requests, "allowed": allowed}  # fmt: skip
        return _("Không đúng hạn")
    if m == Measure.SYNCED:
        return _("Chưa đồng bộ lên Cổng DVCQG")
    if m == Measure.FULL_ONLINE:
        if dossier.procedure.online_service != OnlineService.FULL:
            return _("Thủ tục đủ điều kiện nhưng chưa cung cấp trực tuyến toàn trình")
        return _("Hồ sơ không nộp trực tuyến (%(channel)s)") % {"channel": Channel(dossier.channel).label}
    if m == Measure.ONLINE_DOSSIERS:
        return _("Hồ sơ nộp %(channel)s") % {"channel": Channel(dossier.channel).label.lower()}
    if m == Measure.PAID_ONLINE:
        return _("Có phí, lệ phí nhưng không thanh toán trực tuyến")
    if m == Measure.ELECTRONIC_RESULT:
        return _("Chưa có kết quả điện tử")
    if m == Measure.DIGITISED:
        parts_done = dossier.digitised or (
            indicator.option("online_is_digitised", True) and dossier.channel == Channel.ONLINE
        )
        if not parts_done:
            return _("Chưa số hóa đủ thành phần hồ sơ (đã số hóa %(n)s thành phần)") % {
                "n": dossier.digitised_components}  # fmt: skip
        if dossier.outcome == Outcome.RESOLVED:
            return _("Đã có kết quả nhưng chưa có kết quả điện tử")
        return _("Chưa số hóa")
    if m == Measure.REUSED:
        return _("Không có thành phần dùng lại từ dữ liệu đã số hóa")
    if m == Measure.NATIONAL_STORE:
        return _("Chưa kết nối kho dữ liệu trên Cổng DVCQG")
    if m == Measure.POPULATION_DOSSIERS:
        return _("Chưa sử dụng dữ liệu dân cư")
    return ""


def procedure_reason(indicator: Indicator, procedure: Procedure) -> str:
    return {
        Measure.CATALOGUE_COMPLETE: _("Thiếu thành phần hồ sơ, thời hạn hoặc kết quả thực hiện trong danh mục"),
        Measure.ONLINE_PROCEDURES: _("Chưa cung cấp dịch vụ công trực tuyến"),
        Measure.ONLINE_SERVICES_USED: _("Không có hồ sơ nộp trực tuyến trong kỳ"),
        Measure.FEE_PROCEDURES_INTEGRATED: _("Có phí, lệ phí nhưng chưa tích hợp thanh toán trực tuyến"),
        Measure.FEE_PROCEDURES_PAID_ONLINE: _("Có phí, lệ phí nhưng không có hồ sơ thanh toán trực tuyến trong kỳ"),
        Measure.POPULATION_PROCEDURES: _("Có hồ sơ của cá nhân nhưng chưa hồ sơ nào dùng dữ liệu dân cư"),
    }.get(indicator.measure, "")


def feedback_reason(w: Window, indicator: Indicator, item: Feedback) -> str:
    if indicator.measure == Measure.DOSSIER_SATISFACTION:
        return _("Phản ánh, kiến nghị tiếp nhận trong kỳ")
    if item.answered_on and item.answered_on <= w.last:
        return _("Trả lời ngày %(day)s, quá hạn %(due)s") % {"day": _date(item.answered_on),
                                                            "due": _date(item.answer_due_on)}  # fmt: skip
    return _("Chưa trả lời, quá hạn %(due)s") % {"due": _date(item.answer_due_on)}
