"""Computed blocks: the parts of a report the system knows, written as the samples write them.

Each block is a function (report, context) -> list of rendering blocks (Paragraph, Table). Figures come only from
cchc.statistics.service.compute (TTHC and dossiers) and cchc.plans.services.plan_summaries (plans, directives); a
block never reads a number typed by an officer. Counts use the administrative zero padding (pad2: "01", "08/43");
a zero is written "không có" where the samples do ("không có hồ sơ trễ hạn").

Templates name blocks as data ("block": "dossier_results"); REGISTRY maps the names to the functions and their
Vietnamese labels for the editor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from cchc.plans.models import Plan, PlanKind, Task
from cchc.plans.rating import Rating, effective_rating
from cchc.plans.services import PlanSummary, fraction, plan_summaries
from cchc.reports.rendering import Cell, Footnote, Paragraph, Run, Table, pad2, short_date
from cchc.statistics import cache as figures_cache
from cchc.statistics.periods import Period
from cchc.statistics.service import PeriodStatistics

from .wording import (
    agency_word,
    count,
    document_reference,
    dossier_sentence,
    excerpt_clause,
    feedback_sentence,
    in_period,
    indicator_sentence,
    lower_first,
    percent,
    period_phrase,
    ratio,
)

if TYPE_CHECKING:
    from .models import Report

RenderBlock = Paragraph | Table
BlockFunction = Callable[["Report", "BlockContext"], list[RenderBlock]]

RATING_COLUMNS = (Rating.GOOD, Rating.DONE, Rating.LATE, Rating.NOT_DONE)
MARK = "x"
# Steering documents counted by "documents_issued" unless a template lists other kinds (Phụ lục III abbreviations).
STEERING_KINDS = ("QĐ", "KH", "CT", "TB", "HD", "CTr", "QC", "QyĐ", "PA", "ĐA")



@dataclass
class BlockContext:
    """What a block may use besides the report: its options from the outline and a cache shared by the blocks of
    one build, so the statistics are computed once per document."""

    report: Report
    options: dict[str, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def period(self) -> Period:
        if "period" not in self.cache:
            self.cache["period"] = self.report.period
        return self.cache["period"]

    @property
    def as_of(self) -> dt.date:
        return self.report.as_of

    def statistics(self) -> PeriodStatistics:
        if "statistics" not in self.cache:
            # Through the kept figures (docs/adr/0005): exactly compute()'s result, without recounting the period's
            # dossiers on every editor view and download while nothing changed.
            self.cache["statistics"] = figures_cache.statistics(self.period, [self.report.agency])
        return self.cache["statistics"]

    def with_options(self, options: dict[str, Any] | None) -> BlockContext:
        return BlockContext(self.report, dict(options or {}), self.cache)


@dataclass(frozen=True)
class BlockSpec:
    name: str
    label: Any  # a lazy translation
    function: BlockFunction
    appendix: bool = False  # an appendix block makes a whole appendix table, not part of a section


REGISTRY: dict[str, BlockSpec] = {}


def block(name: str, label: str, *, appendix: bool = False) -> Callable[[BlockFunction], BlockFunction]:
    def register(function: BlockFunction) -> BlockFunction:
        REGISTRY[name] = BlockSpec(name, label, function, appendix)
        return function

    return register


def render_block(name: str, report: Report, context: BlockContext) -> list[RenderBlock]:
    return REGISTRY[name].function(report, context)


# --- TTHC and dossiers (statistics service) ----------------------------------------------------------------------


@block("tthc_catalogue", _("Số lượng TTHC thuộc thẩm quyền (từ danh mục TTHC)"))
def tthc_catalogue(report: Report, context: BlockContext) -> list[RenderBlock]:
    procedures = context.statistics().procedures
    links = procedures.by_interconnection
    online = procedures.by_online_service
    who = agency_word(report.agency)
    text = (
        f"Tổng số TTHC thuộc thẩm quyền giải quyết của {who}: {pad2(procedures.total)} TTHC, trong đó: "
        f"TTHC không liên thông {pad2(links['none'])}, liên thông cùng cấp {pad2(links['same_level'])}, "
        f"liên thông giữa các cấp {pad2(links['cross_level'])}; "
        f"{pad2(procedures.one_stop)} TTHC thực hiện theo cơ chế một cửa, một cửa liên thông; "
        f"cung cấp dịch vụ công trực tuyến toàn trình {pad2(online['full'])} TTHC, "
        f"một phần {pad2(online['partial'])} TTHC"
    )
    if procedures.reduced_time:
        text += f"; {pad2(procedures.reduced_time)} TTHC được cắt giảm thời gian giải quyết so với quy định"
    return [Paragraph.of(text + f" (tính đến ngày {short_date(context.statistics().as_of)}).")]


BIEU06_COLUMNS = (
    "received_total",
    "received_online",
    "received_direct_or_postal",
    "carried_over",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "in_progress",
    "in_progress_within",
    "in_progress_overdue",
)


def dossier_table(statistics: PeriodStatistics) -> Table:
    """Biểu 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP) by field: received, resolved, in progress, with a total row."""
    header = [
        [
            Cell("TT", rowspan=3),
            Cell("Lĩnh vực giải quyết", rowspan=3),
            Cell("Số hồ sơ nhận giải quyết", colspan=4),
            Cell("Kết quả giải quyết", colspan=7),
        ],
        [
            Cell("Tổng số", rowspan=2),
            Cell("Trong đó", colspan=3),
            Cell("Số hồ sơ đã giải quyết", colspan=4),
            Cell("Số hồ sơ đang giải quyết", colspan=3),
        ],
        [
            "Trực tuyến",
            "Trực tiếp, dịch vụ bưu chính",
            "Từ kỳ trước",
            "Tổng số",
            "Trước hạn",
            "Đúng hạn",
            "Quá hạn",
            "Tổng số",
            "Trong hạn",
            "Quá hạn",
        ],
    ]
    rows: list[list[Any]] = []
    for index, (name, figures) in enumerate(statistics.by_field, start=1):
        rows.append([str(index), name, *(getattr(figures, column) for column in BIEU06_COLUMNS)])
    total = statistics.dossiers
    rows.append(["", Cell("Tổng cộng", bold=True), *(getattr(total, column) for column in BIEU06_COLUMNS)])
    return Table(
        header=header,
        rows=rows,
        widths=[8, 46, *([14] * len(BIEU06_COLUMNS))],
        aligns=["center", "left", *(["center"] * len(BIEU06_COLUMNS))],
        bold_rows=[len(rows) - 1],
        font_size=11,
    )


@block("dossier_results", _("Kết quả giải quyết hồ sơ TTHC trong kỳ (Biểu 06)"))
def dossier_results(report: Report, context: BlockContext) -> list[RenderBlock]:
    statistics = context.statistics()
    out: list[RenderBlock] = [
        Paragraph.of(
            dossier_sentence(statistics.dossiers, context.period, agency_word(report.agency), statistics.as_of)
        )
    ]
    if context.options.get("table") and statistics.dossiers.received_total:
        out.append(Paragraph.of("Kết quả cụ thể theo từng lĩnh vực như sau:"))
        out.append(dossier_table(statistics))
    return out


@block("online_services", _("Dịch vụ công trực tuyến, tỷ lệ hồ sơ trực tuyến và đúng hạn"))
def online_services(report: Report, context: BlockContext) -> list[RenderBlock]:
    statistics = context.statistics()
    procedures, figures = statistics.procedures, statistics.dossiers
    out: list[RenderBlock] = []
    if procedures.total:
        out.append(
            Paragraph.of(
                f"Cung cấp dịch vụ công trực tuyến {fraction(procedures.online, procedures.total)} TTHC "
                f"({percent(procedures.online_rate)}), trong đó toàn trình "
                f"{fraction(procedures.by_online_service['full'], procedures.total)} TTHC."
            )
        )
    if figures.received_new:
        out.append(
            Paragraph.of(
                f"Tỷ lệ hồ sơ tiếp nhận trực tuyến {period_phrase(context.period)}: {percent(figures.online_rate)} "
                f"({ratio(figures.received_online, figures.received_new)} hồ sơ tiếp nhận mới)."
            )
        )
    if figures.resolved:
        out.append(
            Paragraph.of(
                f"Tỷ lệ hồ sơ giải quyết trước và đúng hạn: {percent(figures.on_time_rate)} "
                f"({ratio(figures.resolved_on_time_or_early, figures.resolved)} hồ sơ đã giải quyết)."
            )
        )
    if not out:
        out.append(Paragraph.of(f"{in_period(context.period)} chưa phát sinh hồ sơ TTHC."))
    return out


# --- plans and directives (plans service) ------------------------------------------------------------------------


def plans_of(report: Report, kind: str) -> list[Plan]:
    return list(
        Plan.objects.filter(agency=report.agency, kind=kind, year=report.year).select_related("document").order_by("pk")
    )


def plan_reference(plan: Plan) -> str:
    if plan.document_id:
        reference = document_reference(plan.document)
        clause = excerpt_clause(plan.document.excerpt)
        return f"{reference} {clause}".strip()
    return plan.document_text or plan.title


@block("plan_progress", _("Kế hoạch và số nội dung đã thực hiện"))
def plan_progress(report: Report, context: BlockContext) -> list[RenderBlock]:
    kind = context.options.get("plan_kind", PlanKind.CCHC_ANNUAL)
    plans = plans_of(report, kind)
    if not plans:
        return [
            Paragraph.of(
                f"- Chưa có {lower_first(str(PlanKind(kind).label))} {report.year} trong hệ thống cchc "
                "(số liệu sẽ tự cập nhật khi kế hoạch được nhập)."
            )
        ]
    out: list[RenderBlock] = []
    as_of = context.as_of
    summaries = plan_summaries(plans, as_of)
    for plan in plans:
        summary = summaries[plan.pk]
        # Our own wording; the extractor reads "Kế hoạch ... có N nhiệm vụ" and "hoàn thành d/N nhiệm vụ ... kế hoạch".
        reference = plan_reference(plan)
        out.append(Paragraph.of(f"- {reference[:1].upper()}{reference[1:]} có {pad2(summary.total)} nhiệm vụ."))
        who = agency_word(report.agency)
        text = f"- Đến ngày {short_date(as_of)}, {who} đã hoàn thành {summary.done_text()} nhiệm vụ của kế hoạch"
        if summary.overdue:
            text += f"; {pad2(summary.overdue)} nhiệm vụ đã qua hạn mà chưa xong"
        out.append(Paragraph.of(text + "."))
    return out


@block("directives", _("Nhiệm vụ UBND tỉnh, Chủ tịch UBND tỉnh giao"))
def directives(report: Report, context: BlockContext) -> list[RenderBlock]:
    plans = plans_of(report, PlanKind.PROVINCE_DIRECTIVES)
    label = "- Nhiệm vụ do UBND tỉnh, Chủ tịch UBND tỉnh giao: "
    if not plans:
        return [Paragraph.of(label + f"chưa có nhiệm vụ được giao trong năm {report.year} trên hệ thống cchc.")]
    total = PlanSummary(as_of=context.as_of)
    for summary in plan_summaries(plans, context.as_of).values():
        total.total += summary.total
        total.done += summary.done
        total.overdue += summary.overdue
    text = (
        label + f"đến ngày {short_date(context.as_of)}, {agency_word(report.agency)} đã hoàn thành "
        f"{total.done_text()} nhiệm vụ được giao"
    )
    if total.overdue:
        text += f"; {pad2(total.overdue)} nhiệm vụ đã qua hạn mà chưa xong"
    return [Paragraph.of(text + ".")]


# --- documents (registry) ----------------------------------------------------------------------------------------


def issued_documents(report: Report, kinds: list[str] | tuple[str, ...]):
    from cchc.documents.models import Direction, Document

    period = report.period
    return (
        Document.objects.filter(
            agency=report.agency,
            direction=Direction.OUTGOING,
            issue_date__gte=period.start,
            issue_date__lte=period.end,
            kind__in=list(kinds),
        )
        .exclude(pk=report.document_id)
        .order_by("issue_date", "numeric_number", "pk")
    )


@block("documents_issued", _("Văn bản chỉ đạo, điều hành ban hành trong kỳ (từ sổ văn bản)"))
def documents_issued(report: Report, context: BlockContext) -> list[RenderBlock]:
    from cchc.documents.models import DocumentKind

    kinds = context.options.get("kinds") or STEERING_KINDS
    documents = list(issued_documents(report, kinds))
    who = agency_word(report.agency)
    period = context.period
    if not documents:
        return [Paragraph.of(f"- {in_period(period)}, {who} chưa ban hành văn bản chỉ đạo, điều hành nào.")]
    by_kind: dict[str, int] = {}
    for document in documents:
        by_kind[document.kind] = by_kind.get(document.kind, 0) + 1
    detail = ", ".join(
        f"{pad2(n)} {lower_first(str(DocumentKind(kind).label))}"
        for kind, n in sorted(by_kind.items(), key=lambda i: -i[1])
    )
    out: list[RenderBlock] = [
        Paragraph.of(
            f"- Việc ban hành các văn bản chỉ đạo, điều hành: {in_period(period)[:1].lower()}{in_period(period)[1:]}, "
            f"{who} đã ban hành {pad2(len(documents))} văn bản ({detail}), cụ thể:"
        )
    ]
    footnotes = context.options.get("footnotes", True)
    limit = int(context.options.get("limit", 50))
    for document in documents[:limit]:
        subject = str(document.get_kind_display())
        clause = excerpt_clause(document.excerpt)
        reference = document_reference(document)
        if footnotes:
            content = [Run(f"{subject} {clause}".strip()), Footnote(reference + "."), Run(";")]
        else:
            content = [Run(f"{subject} {clause} ({reference});".replace("  ", " "))]
        out.append(Paragraph(content, bullet="+"))
    if len(documents) > limit:
        out.append(Paragraph.of(f"+ Và {pad2(len(documents) - limit)} văn bản khác."))
    return out


# --- feedback, indices and staff (feedback and indicators services) ----------------------------------------------


@block("feedback", _("Tiếp nhận, xử lý phản ánh, kiến nghị trong kỳ"))
def feedback(report: Report, context: BlockContext) -> list[RenderBlock]:
    from cchc.feedback.services import period_counts

    if "feedback" not in context.cache:
        context.cache["feedback"] = period_counts(context.period, [report.agency])
    return [Paragraph.of(feedback_sentence(context.cache["feedback"], context.period, agency_word(report.agency)))]


DEFAULT_INDICATORS = ("PAR_INDEX", "PAPI", "PII")


@block("indicators", _("Kết quả các chỉ số PAR Index, PAPI, PII của tỉnh (năm gần nhất)"))
def indicators(report: Report, context: BlockContext) -> list[RenderBlock]:
    """The province's indices of the most recent year up to the report's year; the agency's own scores after them.
    Options: "codes", the indicator codes in order (default PAR_INDEX, PAPI, PII)."""
    from cchc.indicators.services import value_for

    codes = list(context.options.get("codes") or DEFAULT_INDICATORS)
    province = report.agency.province_id
    out: list[RenderBlock] = []
    if province is not None:
        for code in codes:
            value = value_for(code, province, report.year)
            if value is not None:
                out.append(Paragraph.of(f"- {indicator_sentence(value)}"))
        for code in codes:
            value = value_for(code, province, report.year, agency=report.agency)
            if value is not None:
                out.append(Paragraph.of(f"- {indicator_sentence(value, 'của ' + agency_word(report.agency))}"))
    if not out:
        names = ", ".join(code.replace("_INDEX", " Index") for code in codes)
        out.append(Paragraph.of(f"- Chưa có kết quả các chỉ số {names} của tỉnh trong hệ thống cchc."))
    return out


@block("staff", _("Biên chế được giao, hiện có, tuyển dụng, đào tạo bồi dưỡng"))
def staff(report: Report, context: BlockContext) -> list[RenderBlock]:
    from cchc.indicators.services import staff_for

    who = agency_word(report.agency)
    figures = staff_for(report.agency, report.year)
    if figures is None:
        return [Paragraph.of(f"- Chưa có số liệu biên chế năm {report.year} của {who} trong hệ thống cchc.")]
    text = (
        f"- Biên chế được giao năm {report.year}: {count(figures.approved_posts)} người; "
        f"số hiện có: {count(figures.present)} người"
    )
    if figures.present < figures.approved_posts:
        text += f" (chưa sử dụng {count(figures.approved_posts - figures.present)} biên chế)"
    recruited = f"{count(figures.recruited)} người" if figures.recruited else "không"
    trained = f"{count(figures.trained)} lượt công chức, viên chức" if figures.trained else "không"
    text += f"; tuyển dụng trong năm: {recruited}; cử đào tạo, bồi dưỡng: {trained}."
    return [Paragraph.of(text)]


# --- appendices --------------------------------------------------------------------------------------------------


def tasks_in_tree_order(plan: Plan) -> list[tuple[Task, int, bool]]:
    """(task, depth, is_group) in the plan's order, each group followed by its items."""
    tasks = list(plan.tasks.order_by("order", "pk"))
    children: dict[int | None, list[Task]] = {}
    for task in tasks:
        children.setdefault(task.parent_id, []).append(task)
    out: list[tuple[Task, int, bool]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for task in children.get(parent_id, []):
            out.append((task, depth, task.pk in children))
            walk(task.pk, depth + 1)

    walk(None, 0)
    return out


def _appendix_plans(report: Report, context: BlockContext, default_kind: str) -> list[Plan]:
    return plans_of(report, context.options.get("plan_kind", default_kind))


@block("plan_appendix_rating", _("Phụ lục: đánh giá từng nhiệm vụ của kế hoạch theo bốn mức"), appendix=True)
def plan_appendix_rating(report: Report, context: BlockContext) -> list[RenderBlock]:
    """The Quảng Trị appendix: every task in tree order, an "x" in the column of its rating; groups bold, unmarked."""
    header = [
        [
            Cell("TT", rowspan=2),
            Cell("Nội dung nhiệm vụ", rowspan=2),
            Cell("Kết quả thực hiện (sản phẩm đầu ra, số liệu dẫn chứng)", rowspan=2),
            Cell("Đánh giá kết quả thực hiện", colspan=4),
            Cell("Ghi chú", rowspan=2),
        ],
        [str(rating.label) for rating in RATING_COLUMNS],
    ]
    rows: list[list[Any]] = []
    bold_rows: list[int] = []
    for plan in _appendix_plans(report, context, PlanKind.CCHC_ANNUAL):
        for task, _depth, is_group in tasks_in_tree_order(plan):
            if is_group:
                bold_rows.append(len(rows))
                rows.append([Cell(task.code, bold=True), Cell(task.content, bold=True), "", "", "", "", "", ""])
                continue
            rating = effective_rating(task, context.as_of)
            marks = [MARK if rating == column else "" for column in RATING_COLUMNS]
            rows.append([task.code, task.content, task.result, *marks, task.rating_reason])
    if not rows:
        return [Paragraph.of(f"Chưa có kế hoạch năm {report.year} trong hệ thống cchc.")]
    return [
        Table(
            header=header,
            rows=rows,
            widths=[10, 62, 80, 20, 20, 20, 20, 20],
            bold_rows=bold_rows,
            aligns=["center", "justify", "justify", "center", "center", "center", "center", "left"],
            font_size=12,
        )
    ]


@block("focal_tasks_appendix", _("Phụ lục: khối lượng, thời gian và kết quả từng nhiệm vụ trọng tâm"), appendix=True)
def focal_tasks_appendix(report: Report, context: BlockContext) -> list[RenderBlock]:
    as_of = context.as_of
    columns = [
        "TT",
        "Nội dung nhiệm vụ",
        "Khối lượng/số lượng công việc",
        "Thời gian hoàn thành",
        f"Kết quả đã thực hiện đến ngày {short_date(as_of)}",
    ]
    rows: list[list[Any]] = []
    bold_rows: list[int] = []
    for plan in _appendix_plans(report, context, PlanKind.FOCAL_TASKS):
        for task, _depth, is_group in tasks_in_tree_order(plan):
            if is_group:
                bold_rows.append(len(rows))
                rows.append([Cell(task.code, bold=True), Cell(task.content, bold=True), "", "", ""])
                continue
            deadline = task.deadline_text or task.deadline.label()
            result = task.result or str(task.get_progress_display())
            rows.append([task.code, task.content, task.volume, deadline, result])
    if not rows:
        return [Paragraph.of(f"Chưa có danh mục nhiệm vụ trọng tâm năm {report.year} trong hệ thống cchc.")]
    return [
        Table(
            columns=columns,
            rows=rows,
            widths=[10, 80, 45, 35, 90],
            bold_rows=bold_rows,
            aligns=["center", "justify", "left", "center", "justify"],
            font_size=12,
        )
    ]


def block_choices(*, appendix: bool = False) -> list[tuple[str, Any]]:
    """(name, label) of the blocks a template editor may pick for a section (or an appendix)."""
    return [(spec.name, spec.label) for spec in REGISTRY.values() if spec.appendix == appendix]
