"""Computed blocks: the parts of a report the system knows, written as the samples write them.

Each block is a function (report, context) -> list of rendering blocks (Paragraph, Table). Figures come only from
cchc.statistics.service.compute (TTHC and dossiers) and cchc.plans.services.plan_summaries (plans, directives); a
block never reads a number typed by an officer. Counts use the administrative zero padding (pad2: "01", "08/43");
a zero is written "không có" where the samples do ("không có hồ sơ trễ hạn").

Templates name blocks as data ("block": "dossier_results"); REGISTRY maps the names to the functions and their
Vietnamese labels for the editor.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.plans.models import Plan, PlanKind, Task
from cchc.plans.rating import Rating, effective_rating
from cchc.plans.services import PlanSummary, fraction, plan_summaries
from cchc.reports.rendering import Cell, Footnote, Paragraph, Run, Table, pad2, short_date
from cchc.statistics.periods import Period
from cchc.statistics.service import DossierFigures, PeriodStatistics, compute

if TYPE_CHECKING:
    from .models import Report

RenderBlock = Paragraph | Table
BlockFunction = Callable[["Report", "BlockContext"], list[RenderBlock]]

RATING_COLUMNS = (Rating.GOOD, Rating.DONE, Rating.LATE, Rating.NOT_DONE)
MARK = "x"
# Steering documents counted by "documents_issued" unless a template lists other kinds (Phụ lục III abbreviations).
STEERING_KINDS = ("QĐ", "KH", "CT", "TB", "HD", "CTr", "QC", "QyĐ", "PA", "ĐA")

_AGENCY_WORD = {"so": "Sở", "ubnd_tinh": "UBND tỉnh", "ubnd_huyen": "UBND huyện", "ubnd_xa": "UBND xã", "bo": "Bộ"}


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
            self.cache["statistics"] = compute(self.period, agencies=[self.report.agency])
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


# --- wording helpers ---------------------------------------------------------------------------------------------


def agency_word(agency) -> str:
    """How a report names its own agency inside a sentence: "Sở", "UBND huyện"."""
    return _AGENCY_WORD.get(agency.kind, "cơ quan")


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def period_phrase(period: Period) -> str:
    """ "quý I năm 2023", "năm 2023", "từ ngày 05/12/2022 đến ngày 04/03/2023"."""
    if period.kind == "range":
        return f"từ ngày {short_date(period.start)} đến ngày {short_date(period.end)}"
    return lower_first(period.label)


def in_period(period: Period) -> str:
    """The sentence opening: "Trong quý I năm 2023" / "Từ ngày 05/12/2022 đến ngày 04/03/2023"."""
    if period.kind == "range":
        return period_phrase(period)[:1].upper() + period_phrase(period)[1:]
    return f"Trong {period_phrase(period)}"


def dates_note(period: Period) -> str:
    """tthc-details.md §6.2: the exact cut-off days are always shown next to period figures."""
    return f"số liệu tính từ ngày {short_date(period.start)} đến ngày {short_date(period.end)}"


def count(n: int) -> str:
    """ "08", "43", "1.176.355": a leading zero below 10, a dot between thousands (as the samples print them)."""
    return pad2(n) if n < 1000 else f"{n:,}".replace(",", ".")


def ratio(part: int, whole: int) -> str:
    """ "07/08", "173.623/192.087"."""
    return f"{count(part) if part else '0'}/{count(whole) if whole else '0'}"


def n_items(n: int, noun: str = "hồ sơ", rest: str = "") -> str:
    """ "01 hồ sơ trực tuyến", or "không có hồ sơ trực tuyến" for zero (the samples' wording)."""
    words = f"{noun} {rest}".strip()
    return f"{count(n)} {words}" if n else f"không có {words}"


def percent(value: float | None) -> str:
    """ "98,86%", "100%" (Vietnamese decimal comma)."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def document_reference(document) -> str:
    """ "Kế hoạch số 64/KH-SKHCN ngày 30/12/2022" as reports cite a document of the registry."""
    text = str(document.get_kind_display())
    if document.number_symbol:
        text += f" số {document.number_symbol}"
    if document.issue_date:
        text += f" ngày {short_date(document.issue_date)}"
    return text


def excerpt_clause(excerpt: str) -> str:
    """ "về công tác cải cách hành chính nhà nước năm 2023" from a trích yếu (kept as is when it says "v/v")."""
    excerpt = " ".join((excerpt or "").split()).rstrip(".;")
    if not excerpt:
        return ""
    if excerpt.casefold().startswith(("về ", "v/v", "về việc")):
        return excerpt
    return f"về {lower_first(excerpt)}"


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
    return [Paragraph.of(text + f" (tính đến ngày {short_date(context.period.end)}).")]


def dossier_sentence(figures: DossierFigures, period: Period, who: str) -> str:
    """The one-stop-shop sentence of the samples, every count from `figures`."""
    f = figures
    if not f.received_total:
        return f"{in_period(period)} ({dates_note(period)}), {who} không tiếp nhận hồ sơ TTHC nào."
    late = n_items(f.resolved_late, rest="trễ hạn")
    text = (
        f"{in_period(period)} ({dates_note(period)}), {who} đã tiếp nhận {count(f.received_total)} hồ sơ, trong đó "
        f"{n_items(f.carried_over, rest='từ kỳ trước chuyển sang')}, "
        f"{n_items(f.received_new, rest='tiếp nhận mới')} "
        f"({n_items(f.received_online, rest='trực tuyến')}, {n_items(f.received_direct, rest='trực tiếp')}, "
        f"{n_items(f.received_postal, rest='qua dịch vụ bưu chính công ích')}); "
    )
    if f.resolved:
        text += (
            f"đã giải quyết {count(f.resolved)} hồ sơ "
            f"({n_items(f.resolved_on_time_or_early, rest='trước và đúng hạn')}, {late})"
        )
    else:
        text += "chưa giải quyết xong hồ sơ nào"
    if f.in_progress:
        text += f"; {count(f.in_progress)} hồ sơ đang giải quyết ("
        text += f"{n_items(f.in_progress_within, rest='trong hạn')}, {n_items(f.in_progress_overdue, rest='quá hạn')})"
    else:
        text += "; không có hồ sơ đang giải quyết"
    text += "."
    if f.refused or f.withdrawn:
        text += (
            f" Trong số hồ sơ đã giải quyết có {n_items(f.refused, rest='từ chối giải quyết')} và "
            f"{n_items(f.withdrawn, rest='do tổ chức, cá nhân rút')}."
        )
    return text


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
        Paragraph.of(dossier_sentence(statistics.dossiers, context.period, agency_word(report.agency)))
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
        out.append(
            Paragraph.of(f"- Ban hành {plan_reference(plan)} gồm {pad2(summary.total)} nội dung nhiệm vụ cụ thể.")
        )
        text = (
            f"- Kết quả triển khai thực hiện: tính đến ngày {short_date(as_of)} đã thực hiện "
            f"{summary.done_text()} nội dung kế hoạch đề ra"
        )
        if summary.overdue:
            text += f"; {pad2(summary.overdue)} nội dung đã quá thời hạn nhưng chưa hoàn thành"
        out.append(Paragraph.of(text + "."))
    return out


@block("directives", _("Nhiệm vụ UBND tỉnh, Chủ tịch UBND tỉnh giao"))
def directives(report: Report, context: BlockContext) -> list[RenderBlock]:
    plans = plans_of(report, PlanKind.PROVINCE_DIRECTIVES)
    label = "- Tổng hợp, cập nhật tiến độ, kết quả thực hiện các nhiệm vụ được UBND tỉnh, Chủ tịch UBND tỉnh giao: "
    if not plans:
        return [Paragraph.of(label + f"chưa có nhiệm vụ được giao trong năm {report.year} trên hệ thống cchc.")]
    total = PlanSummary(as_of=context.as_of)
    for summary in plan_summaries(plans, context.as_of).values():
        total.total += summary.total
        total.done += summary.done
        total.overdue += summary.overdue
    text = (
        label + f"tính đến ngày {short_date(context.as_of)} đã hoàn thành {total.done_text()} nhiệm vụ "
        "UBND tỉnh, Chủ tịch UBND tỉnh giao"
    )
    if total.overdue:
        text += f"; {pad2(total.overdue)} nhiệm vụ quá hạn chưa hoàn thành"
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


# --- roll-up of an aggregator's members (rollup.py, submissions.py) --------------------------------------------

ROLLUP_PARTS = ("submissions", "totals", "table")


def _figure(value: Any) -> str:
    """A roll-up total as the samples print counts ("08", "1.234"); a non-integral reported value as "12,5"."""
    if value is None:
        return "—"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value.normalize():f}".replace(".", ",")
    return count(int(value))


def _decimal_comma(value: Any) -> Any:
    """A rate in a document table as Vietnamese writes it ("66,67"); the .xlsx export keeps numbers as numbers."""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return value


def _names(agencies) -> str:
    return ", ".join(agency.name for agency in agencies)


def rollup_submissions_sentence(table) -> str:
    """ "Có 05/07 cơ quan đã gửi báo cáo quý I năm 2023; chưa gửi: ...; gửi muộn: ..."."""
    members = len(table.rows)
    sent = members - len(table.missing)
    text = f"Có {ratio(sent, members)} cơ quan đã gửi báo cáo {period_phrase(table.period)}"
    if table.missing:
        text += f"; chưa gửi: {_names(table.missing)}"
    if table.late:
        late = ", ".join(
            f"{agency.name} (gửi ngày {short_date(timezone.localtime(s.submitted_at).date())}"
            + (f", hạn {short_date(s.deadline)})" if s.deadline else ")")
            for agency, s in table.late
        )
        text += f"; gửi muộn: {late}"
    return text + "."


def rollup_totals_sentences(table) -> list[str]:
    """The totals of the table in words; rates from the totals (rollup.RollupTable), never averaged."""
    totals = table.totals
    out: list[str] = []
    computed = sum(1 for row in table.rows if row.source == "computed")
    reported = sum(1 for row in table.rows if row.source in ("reported", "mixed"))
    without = sum(1 for row in table.rows if row.source is None)
    out.append(
        f"Số liệu của {count(computed) if computed else 'không có'} cơ quan do hệ thống cchc tính từ hồ sơ và danh "
        f"mục TTHC; {count(reported) if reported else 'không có'} cơ quan theo báo cáo đã nhập; "
        f"{count(without) if without else 'không có'} cơ quan chưa có số liệu ({dates_note(table.period)})."
    )
    if totals.get("procedures_total") is not None:
        text = f"Tổng số TTHC thuộc thẩm quyền: {_figure(totals['procedures_total'])} TTHC"
        if totals.get("procedures_online") is not None:
            text += f", trong đó cung cấp dịch vụ công trực tuyến {_figure(totals['procedures_online'])} TTHC"
            if table.procedures_online_rate is not None:
                text += f" ({percent(table.procedures_online_rate)})"
        out.append(text + ".")
    if totals.get("dossiers_received") is None:
        out.append("Chưa có số liệu hồ sơ TTHC của các cơ quan trong kỳ.")
        return out
    text = f"Tổng số hồ sơ tiếp nhận: {_figure(totals['dossiers_received'])}"
    if totals.get("dossiers_online") is not None:
        text += f", trong đó trực tuyến {_figure(totals['dossiers_online'])}"
        if table.online_rate is not None:
            text += f" ({percent(table.online_rate)})"
    if totals.get("dossiers_resolved") is not None:
        text += f"; đã giải quyết {_figure(totals['dossiers_resolved'])}"
        if totals.get("dossiers_on_time") is not None:
            text += f", đúng hạn {percent(table.on_time_rate) or _figure(totals['dossiers_on_time'])}"
            text += f" ({_figure(totals['dossiers_on_time'])} hồ sơ trước và đúng hạn"
            if totals.get("dossiers_late") is not None:
                text += f", {_figure(totals['dossiers_late'])} hồ sơ quá hạn"
            text += ")"
    if totals.get("dossiers_in_progress") is not None:
        text += f"; đang giải quyết {_figure(totals['dossiers_in_progress'])}"
    out.append(text + ".")
    return out


def rollup_for(report: Report, context: BlockContext):
    """The roll-up of the report's agency for the report's period, once per build."""
    from .rollup import rollup_table

    if "rollup" not in context.cache:
        context.cache["rollup"] = rollup_table(report.agency, context.period)
    return context.cache["rollup"]


@block("rollup_table", _("Bảng tổng hợp số liệu các cơ quan"))
def rollup_summary(report: Report, context: BlockContext) -> list[RenderBlock]:
    """For an aggregator (Sở Nội vụ, UBND tỉnh, a ministry): who reported, the totals, and the table of its members,
    each row computed by cchc or as reported (rollup.py). Options: "parts", a subset of ROLLUP_PARTS in order."""
    from .rollup import as_document_table
    from .submissions import is_aggregator

    if not is_aggregator(report.agency):
        return [Paragraph.of(f"{report.agency.name} chưa được khai báo là cơ quan tổng hợp báo cáo của các cơ quan "
                             "khác, nên chưa có bảng tổng hợp.")]  # fmt: skip
    table = rollup_for(report, context)
    if not table.rows:
        return [Paragraph.of(f"{report.agency.name} chưa có cơ quan thành viên gửi báo cáo.")]
    parts = [part for part in context.options.get("parts", ROLLUP_PARTS) if part in ROLLUP_PARTS]
    out: list[RenderBlock] = []
    for part in parts:
        if part == "submissions":
            out.append(Paragraph.of(f"- {rollup_submissions_sentence(table)}"))
        elif part == "totals":
            out.extend(Paragraph.of(f"- {text}") for text in rollup_totals_sentences(table))
        elif part == "table":
            document_table = as_document_table(table)
            columns = len(document_table.columns)
            out.append(
                dataclasses.replace(
                    document_table,
                    rows=[[_decimal_comma(value) for value in row] for row in document_table.rows],
                    widths=[8, 48, *([16] * (columns - 4)), 24, 18],
                    aligns=["center", "left", *(["center"] * (columns - 2))],
                    font_size=10,
                )
            )
    return out


# --- feedback, indices and staff (feedback and indicators services) ----------------------------------------------


def feedback_sentence(figures, period: Period, who: str) -> str:
    """The feedback sentence of the samples (Nghị định 20/2008/NĐ-CP), every count from feedback.services."""
    f = figures
    if f.empty:
        return (
            f"{in_period(period)} không có trường hợp phản ánh, kiến nghị của người dân, tổ chức liên quan đến "
            "quy định TTHC."
        )
    if f.received:
        text = f"{in_period(period)}, {who} tiếp nhận {count(f.received)} phản ánh, kiến nghị"
    else:
        text = f"{in_period(period)}, {who} không tiếp nhận phản ánh, kiến nghị mới"
    if f.handled:
        timing = [f"đúng hạn {count(f.handled_on_time)}"] if f.handled_on_time else []
        if f.handled_late:
            timing.append(f"quá hạn {count(f.handled_late)}")
        text += f", đã xử lý {count(f.handled)} ({', '.join(timing)})"
        if f.not_in_scope:
            text += f", trong đó {count(f.not_in_scope)} phản ánh, kiến nghị không thuộc phạm vi xử lý"
    else:
        text += ", chưa xử lý xong phản ánh, kiến nghị nào"
    if f.pending:
        text += f"; đang xử lý {count(f.pending)} phản ánh, kiến nghị"
        if f.pending_overdue:
            text += f" ({count(f.pending_overdue)} quá hạn)"
    if not f.pending_overdue and not f.handled_late:
        text += "; không có phản ánh, kiến nghị quá hạn"
    return text + "."


@block("feedback", _("Tiếp nhận, xử lý phản ánh, kiến nghị trong kỳ"))
def feedback(report: Report, context: BlockContext) -> list[RenderBlock]:
    from cchc.feedback.services import period_counts

    if "feedback" not in context.cache:
        context.cache["feedback"] = period_counts(context.period, [report.agency])
    return [Paragraph.of(feedback_sentence(context.cache["feedback"], context.period, agency_word(report.agency)))]


DEFAULT_INDICATORS = ("PAR_INDEX", "PAPI", "PII")


def indicator_sentence(value, who: str = "của tỉnh") -> str:
    """ "Chỉ số PII năm 2023 của tỉnh đạt 38,5 điểm, xếp hạng 35/63." """
    from cchc.indicators.services import decimal_text

    text = f"{value.indicator.short_name} năm {value.year} {who} đạt {decimal_text(value.score)}"
    if value.max_score:
        text += f"/{decimal_text(value.max_score)}"
    text += " điểm"
    if value.rank:
        text += f", xếp hạng {value.rank}/{value.rank_of}" if value.rank_of else f", xếp thứ {value.rank}"
    return text + "."


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
