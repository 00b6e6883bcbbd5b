"""The report engine: templates as data, computed blocks against the statistics and plan services, the .docx, the
workflow with versions and permissions, edit conflicts, and the command.

Fixtures: a Sở with a catalogue, dossiers around 2023-Q1, a CCHC plan, province directives and registry documents.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document as open_docx

D = dt.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
STATUS_OF = {"resolved": "resolved", "refused": "refused", "withdrawn": "withdrawn", "": "in_process"}


def _local(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def make_dossier(code, agency, procedure, received, channel, due, ended=None, outcome=""):
    from cchc.dossiers.models import Dossier

    if ended and not outcome:
        outcome = "resolved"
    return Dossier.objects.create(
        agency=agency,
        procedure=procedure,
        code=code,
        applicant_name=f"Chủ hồ sơ {code}",
        channel=channel,
        received_at=_local(received),
        received_on=received,
        due_at=_local(due, 17),
        due_date=due,
        status=STATUS_OF[outcome] if ended else "in_process",
        ended_at=_local(ended, 10) if ended else None,
        ended_on=ended,
        outcome=outcome if ended else "",
    )


@pytest.fixture
def leader(make_user, agency):
    return make_user("lanhdao", agency, "leader")


@pytest.fixture
def catalogue(agency, procedure, field):
    """Three procedures in force in 2023: full online/no link (conftest), partial/same level, none/cross level."""
    from cchc.procedures.models import Procedure

    p2 = Procedure.objects.create(
        agency=agency, code="2.000001", name="Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ", field=field,
        processing_time=Decimal("20"), reduced_processing_time=Decimal("10"), online_service="partial",
        interconnection="same_level", effective_from=D(2020, 1, 1),
    )  # fmt: skip
    p3 = Procedure.objects.create(
        agency=agency, code="2.000002", name="Cấp giấy phép vận chuyển chất phóng xạ", field=field,
        processing_time=Decimal("15"), online_service="none", interconnection="cross_level", one_stop=False,
        effective_from=D(2020, 1, 1),
    )  # fmt: skip
    return [procedure, p2, p3]


@pytest.fixture
def dossiers(agency, other_agency, catalogue):
    """Q1 2023 (NĐ 09: 15/12/2022 – 14/03/2023): 1 carried over, 6 new (4 online, 2 direct), 4 resolved (one
    late), 2 in progress (one overdue); plus one after the quarter and one of another agency, which never count."""
    p1, p2, _p3 = catalogue
    rows = [
        ("A1", p1, D(2022, 12, 1), 1, D(2022, 12, 20), D(2022, 12, 19)),
        ("A2", p1, D(2023, 1, 5), 2, D(2023, 1, 20), D(2023, 1, 10)),
        ("A3", p1, D(2023, 1, 6), 2, D(2023, 1, 20), D(2023, 1, 20)),
        ("A4", p2, D(2023, 2, 1), 2, D(2023, 2, 10), D(2023, 2, 15)),
        ("A5", p2, D(2023, 2, 10), 1, D(2023, 2, 25), None),
        ("A6", p1, D(2023, 3, 1), 2, D(2023, 3, 30), None),
        ("A7", p2, D(2023, 2, 1), 1, D(2023, 2, 20), D(2023, 2, 18)),
        ("A8", p1, D(2023, 3, 20), 2, D(2023, 4, 5), None),
    ]
    made = [make_dossier(code, agency, p, r, ch, due, end) for code, p, r, ch, due, end in rows]
    from cchc.procedures.models import Procedure

    foreign = Procedure.objects.create(
        agency=other_agency, code="9.000001", name="Thủ tục của Sở Nội vụ", field=p1.field,
        processing_time=Decimal("5"), effective_from=D(2020, 1, 1),
    )  # fmt: skip
    made.append(make_dossier("B1", other_agency, foreign, D(2023, 1, 9), 2, D(2023, 1, 20), D(2023, 1, 12)))
    return made


@pytest.fixture
def plan_document(agency):
    from cchc.documents.models import Direction, Document

    return Document.objects.create(
        agency=agency, direction=Direction.OUTGOING, kind="KH", number="151", year=2022, symbol="KH-SKHCN",
        issue_date=D(2022, 12, 23), issuing_body=agency.name,
        excerpt="Thực hiện nhiệm vụ cải cách hành chính năm 2023",
    )  # fmt: skip


@pytest.fixture
def cchc_plan(agency, officer, plan_document):
    """Two groups, five tasks: good, done-incomplete, late, not done (overdue), done after the quarter."""
    from cchc.plans.models import PlanKind
    from cchc.plans.services import create_plan, create_task, record_progress

    plan = create_plan(
        agency, kind=PlanKind.CCHC_ANNUAL, year=2023, title="Kế hoạch CCHC năm 2023", document=plan_document,
        actor=officer,
    )  # fmt: skip
    g1 = create_task(plan, code="I", content="Cải cách thể chế", actor=officer)
    t1 = create_task(plan, parent=g1, code="1", content="Theo dõi thi hành pháp luật", deadline="Tháng 1/2023")
    t2 = create_task(plan, parent=g1, code="2", content="Rà soát văn bản QPPL", deadline="Quý I/2023",
                     content_complete=False)  # fmt: skip
    g2 = create_task(plan, code="II", content="Cải cách thủ tục hành chính", actor=officer)
    t3 = create_task(plan, parent=g2, code="1", content="Kiểm soát TTHC", deadline="31/01/2023")
    create_task(plan, parent=g2, code="2", content="Số hóa kết quả giải quyết TTHC", deadline="Tháng 2/2023")
    t5 = create_task(plan, parent=g2, code="3", content="Đánh giá chỉ số CCHC", deadline="Quý II/2023")
    record_progress(t1, "Đã ban hành kế hoạch", "done", D(2023, 1, 15), officer, on=D(2023, 1, 15))
    record_progress(t2, "Đã rà soát một phần", "done", D(2023, 3, 1), officer, on=D(2023, 3, 1))
    record_progress(t3, "Xong", "done", D(2023, 2, 20), officer, on=D(2023, 2, 20))
    record_progress(t5, "Xong", "done", D(2023, 5, 2), officer, on=D(2023, 5, 2))
    return plan


@pytest.fixture
def directives_plan(agency, officer):
    from cchc.plans.models import PlanKind
    from cchc.plans.services import create_plan, create_task, record_progress

    plan = create_plan(agency, kind=PlanKind.PROVINCE_DIRECTIVES, year=2023, title="Nhiệm vụ UBND tỉnh giao 2023")
    tasks = [create_task(plan, code=str(i), content=f"Nhiệm vụ {i}", deadline="Tháng 3/2023") for i in range(1, 4)]
    for task in tasks[:2]:
        record_progress(task, "Đã hoàn thành", "done", D(2023, 2, 1), officer, on=D(2023, 2, 1))
    return plan


@pytest.fixture
def issued(agency):
    """Two steering documents in Q1 2023, one report (not a steering kind) and one after the quarter."""
    from cchc.documents.models import Direction, Document

    common = {"agency": agency, "direction": Direction.OUTGOING, "year": 2023, "issuing_body": agency.name}
    return [
        Document.objects.create(
            kind="KH",
            number="09",
            symbol="KH-SKHCN",
            issue_date=D(2023, 2, 6),
            excerpt="Kiểm tra công tác cải cách hành chính, công vụ năm 2023",
            **common,
        ),  # fmt: skip
        Document.objects.create(
            kind="QĐ",
            number="02",
            symbol="QĐ-SKHCN",
            issue_date=D(2023, 2, 6),
            excerpt="Thành lập Tổ kiểm tra công tác cải cách hành chính, công vụ năm 2023",
            **common,
        ),  # fmt: skip
        Document.objects.create(
            kind="BC", number="12", symbol="BC-SKHCN", issue_date=D(2023, 3, 1), excerpt="Báo cáo tháng", **common
        ),  # fmt: skip
        Document.objects.create(
            kind="KH", number="30", symbol="KH-SKHCN", issue_date=D(2023, 4, 2), excerpt="Sau kỳ báo cáo", **common
        ),  # fmt: skip
    ]


@pytest.fixture
def world(dossiers, cchc_plan, directives_plan, issued):
    return True


# --- helpers -----------------------------------------------------------------------------------------------------


N = r"(\d+|không có)"


def num(text: str) -> int:
    return 0 if text == "không có" else int(text)


def docx_text(data: bytes) -> list[str]:
    return [p.text for p in open_docx(io.BytesIO(data)).paragraphs]


def find(pattern: str, lines: list[str]) -> re.Match:
    for line in lines:
        match = re.search(pattern, line)
        if match:
            return match
    raise AssertionError(f"no paragraph matches {pattern!r}:\n" + "\n".join(lines))


def quarterly(agency, actor=None, period="2023-Q1", template="cchc-quarterly"):
    from cchc.reports.services import create_report

    return create_report(agency, template, period, actor)


# --- the quarterly report ----------------------------------------------------------------------------------------


def test_quarterly_outline_in_order_and_dossier_figures_equal_the_statistics(agency, world):
    from cchc.reports.builder import build_docx
    from cchc.statistics.periods import parse_period
    from cchc.statistics.service import compute

    report = quarterly(agency)
    lines = docx_text(build_docx(report))
    expected = [
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
        "1. Về kế hoạch cải cách hành chính",
        "2. Về tổ chức chỉ đạo, điều hành cải cách hành chính",
        "3. Về kiểm tra cải cách hành chính, công vụ",
        "4. Về công tác tuyên truyền cải cách hành chính",
        "II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
        "1. Cải cách thể chế",
        "2. Cải cách thủ tục hành chính (TTHC)",
        "3. Cải cách tổ chức bộ máy",
        "4. Cải cách chế độ công vụ",
        "5. Cải cách tài chính công",
        "6. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM KỲ TỚI",
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
    ]
    positions = [lines.index(heading) for heading in expected]
    assert positions == sorted(positions)
    assert "Công tác cải cách hành chính Quý I năm 2023\ncủa Sở Khoa học và Công nghệ" in lines

    figures = compute(parse_period("2023-Q1"), agencies=[agency]).dossiers
    m = find(
        rf"đã tiếp nhận {N} hồ sơ, trong đó {N} hồ sơ từ kỳ trước chuyển sang, {N} hồ sơ tiếp nhận mới "
        rf"\({N} hồ sơ trực tuyến, {N} hồ sơ trực tiếp, {N} hồ sơ qua dịch vụ bưu chính công ích\); "
        rf"đã giải quyết {N} hồ sơ \({N} hồ sơ trước và đúng hạn, {N} hồ sơ trễ hạn\); "
        rf"{N} hồ sơ đang giải quyết \({N} hồ sơ trong hạn, {N} hồ sơ quá hạn\)",
        lines,
    )
    got = [num(g) for g in m.groups()]
    want = [
        figures.received_total, figures.carried_over, figures.received_new, figures.received_online,
        figures.received_direct, figures.received_postal, figures.resolved, figures.resolved_on_time_or_early,
        figures.resolved_late, figures.in_progress, figures.in_progress_within, figures.in_progress_overdue,
    ]  # fmt: skip
    assert got == want
    # The fixture is what the sentence says: the other agency's dossier and the one after the quarter don't count.
    assert want == [7, 1, 6, 4, 2, 0, 5, 4, 1, 2, 1, 1]
    assert "không có hồ sơ qua dịch vụ bưu chính công ích" in m.group(0)
    assert "07 hồ sơ" in m.group(0) and "01 hồ sơ từ kỳ trước" in m.group(0)
    assert "15/12/2022" in find(r"số liệu tính từ ngày", lines).string


def test_tthc_catalogue_and_rates_equal_the_statistics(agency, world):
    from cchc.reports.builder import build_docx
    from cchc.statistics.periods import parse_period
    from cchc.statistics.service import compute

    lines = docx_text(build_docx(quarterly(agency)))
    stats = compute(parse_period("2023-Q1"), agencies=[agency])
    procedures = stats.procedures
    m = find(
        rf"thẩm quyền giải quyết của Sở: {N} TTHC, trong đó: TTHC không liên thông {N}, liên thông cùng cấp {N}, "
        rf"liên thông giữa các cấp {N}; {N} TTHC thực hiện theo cơ chế một cửa, một cửa liên thông; cung cấp dịch vụ "
        rf"công trực tuyến toàn trình {N} TTHC, một phần {N} TTHC; {N} TTHC được cắt giảm",
        lines,
    )
    assert [num(g) for g in m.groups()] == [
        procedures.total, procedures.by_interconnection["none"], procedures.by_interconnection["same_level"],
        procedures.by_interconnection["cross_level"], procedures.one_stop, procedures.by_online_service["full"],
        procedures.by_online_service["partial"], procedures.reduced_time,
    ]  # fmt: skip
    assert m.group(0).startswith("thẩm quyền giải quyết của Sở: 03 TTHC")
    online = find(r"Tỷ lệ hồ sơ tiếp nhận trực tuyến quý I năm 2023: ([\d,]+)% \((\d+)/(\d+) hồ sơ", lines)
    assert (int(online.group(2)), int(online.group(3))) == (stats.dossiers.received_online, stats.dossiers.received_new)
    assert online.group(1) == "66,67"
    on_time = find(r"trước và đúng hạn: ([\d,]+)% \((\d+)/(\d+) hồ sơ", lines)
    assert on_time.group(1) == "80"
    assert (int(on_time.group(2)), int(on_time.group(3))) == (4, 5)


def test_plan_directive_and_document_counts_come_from_plans_and_registry(agency, world, cchc_plan, directives_plan):
    from cchc.plans.services import plan_summary
    from cchc.reports.builder import build_docx

    data = build_docx(quarterly(agency))
    lines = docx_text(data)
    plan_line = find(r"- Kế hoạch số 151/KH-SKHCN ngày 23/12/2022 về thực hiện nhiệm vụ cải cách hành chính "
                     r"năm 2023 có (\d+) nhiệm vụ\.", lines)  # fmt: skip
    summary = plan_summary(cchc_plan, D(2023, 3, 14))
    assert int(plan_line.group(1)) == summary.total == 5
    done = find(r"Đến ngày 14/03/2023, Sở đã hoàn thành (\d+/\d+) nhiệm vụ của kế hoạch; (\d+) nhiệm vụ đã qua hạn",
                lines)
    assert done.group(1) == summary.done_text() == "03/05"
    assert int(done.group(2)) == summary.overdue == 1
    directives = find(r"UBND tỉnh giao: đến ngày 14/03/2023, Sở đã hoàn thành (\d+/\d+) nhiệm vụ được giao", lines)
    assert directives.group(1) == plan_summary(directives_plan, D(2023, 3, 14)).done_text() == "02/03"
    # NĐ 09/2019 cut-off: the plan issued on 23/12/2022 belongs to Q1 2023 (15/12/2022 – 14/03/2023).
    issued_line = find(r"Sở đã ban hành (\d+) văn bản \(02 kế hoạch, 01 quyết định\)", lines)
    assert issued_line.group(1) == "03"
    # The references are footnotes, as in the samples; the report and the April plan are not listed.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        notes = archive.read("word/footnotes.xml").decode()
    assert "Kế hoạch số 09/KH-SKHCN ngày 06/02/2023." in notes
    assert "Quyết định số 02/QĐ-SKHCN ngày 06/02/2023." in notes
    assert "Kế hoạch số 151/KH-SKHCN ngày 23/12/2022." in notes
    assert "30/KH-SKHCN" not in notes and "12/BC-SKHCN" not in notes


def test_zero_figures_are_written_as_the_samples_write_them(other_agency, db):
    from cchc.reports.builder import build_document

    document = build_document(quarterly(other_agency))
    texts = [b.plain_text for b in document.body if hasattr(b, "plain_text")]
    assert any("Sở không tiếp nhận hồ sơ TTHC nào" in t for t in texts)
    assert any("Chưa có kế hoạch cải cách hành chính năm 2023" in t for t in texts)
    assert any("chưa ban hành văn bản chỉ đạo, điều hành nào" in t for t in texts)


def test_draft_header_number_place_and_signature(agency, world):
    from cchc.reports.builder import build_document

    document = build_document(quarterly(agency))
    assert document.parent_authority == "UBND TỈNH QUẢNG TRỊ"
    assert document.number_line == "Số:      /BC-SKHCN"
    assert document.date_line == "Quảng Trị, ngày    tháng    năm 2023"
    assert document.signature.authority_form == "KT. Giám đốc"
    assert document.recipient_lines[-1] == "- Lưu: VT, VP."


# --- the annual report and its appendix --------------------------------------------------------------------------


def test_annual_appendix_rates_every_task_in_its_column_on_a_landscape_page(agency, world, cchc_plan):
    from docx.enum.section import WD_ORIENT

    from cchc.plans.rating import Rating, effective_rating
    from cchc.reports.builder import build_docx

    doc = open_docx(io.BytesIO(build_docx(quarterly(agency, period="2023", template="cchc-annual"))))
    assert doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT
    table = doc.tables[-1]
    labels = [c.text for c in table.rows[1].cells]
    columns = {rating: labels.index(str(rating.label)) for rating in Rating}
    body = table.rows[2:]
    tasks = list(cchc_plan.tasks.order_by("order", "pk"))
    assert len(body) == len(tasks) == 7
    as_of = D(2023, 12, 14)
    seen_ratings = set()
    for row, task in zip(body, tasks, strict=True):
        cells = [c.text for c in row.cells]
        assert cells[1] == task.content
        marks = {i for i, text in enumerate(cells) if text == "x"}
        if task.children.exists():
            assert marks == set()
            assert all(run.bold for p in row.cells[1].paragraphs for run in p.runs)
        else:
            rating = effective_rating(task, as_of)
            seen_ratings.add(rating)
            assert marks == {columns[rating]}, (task.content, rating, cells)
    assert seen_ratings == set(Rating)  # the fixture exercises all four columns
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "KẾT QUẢ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2023" in text
    assert "(Kèm theo Báo cáo số .../BC-SKHCN ngày ... của Sở Khoa học và Công nghệ)" in text


def test_focal_tasks_appendix_lists_volume_deadline_and_result(agency, officer):
    from cchc.plans.models import PlanKind
    from cchc.plans.services import create_plan, create_task, update_task
    from cchc.reports.builder import build_document

    plan = create_plan(agency, kind=PlanKind.FOCAL_TASKS, year=2023, title="Nhiệm vụ trọng tâm 2023")
    task = create_task(plan, code="1", content="Hỗ trợ doanh nghiệp đổi mới công nghệ", volume="03 doanh nghiệp",
                       deadline="Quý II/2023")  # fmt: skip
    update_task(task, result="Đã hỗ trợ 01 doanh nghiệp")
    document = build_document(quarterly(agency, officer, period="2023-Q1", template="focal-tasks"))
    (table,) = document.appendices[0].blocks
    assert [c if isinstance(c, str) else c.text for c in table.columns] == [
        "TT", "Nội dung nhiệm vụ", "Khối lượng/số lượng công việc", "Thời gian hoàn thành",
        "Kết quả đã thực hiện đến ngày 14/03/2023",
    ]  # fmt: skip
    row = table.body_rows[0]
    assert [c.plain_text for c in row] == [
        "1", task.content, "03 doanh nghiệp", "Quý II/2023", "Đã hỗ trợ 01 doanh nghiệp",
    ]  # fmt: skip


# --- templates are data ------------------------------------------------------------------------------------------


def test_builtin_templates_load_once_and_a_copied_template_gives_its_own_outline(agency, other_agency, db):
    from cchc.reports.builder import build_docx
    from cchc.reports.models import ReportTemplate
    from cchc.reports.templates_registry import ensure_builtin_templates, get_template, save_copy

    ensure_builtin_templates()
    ensure_builtin_templates()
    assert set(ReportTemplate.objects.filter(agency__isnull=True).values_list("slug", flat=True)) == {
        "cchc-quarterly", "cchc-annual", "focal-tasks", "business-environment", "rollup-summary",
    }  # fmt: skip
    builtin = get_template("cchc-quarterly")
    mine = save_copy(builtin, agency)
    mine.outline = [
        {"key": "a", "number": "I.", "heading": "Kết quả giải quyết TTHC", "level": 1, "block": ["dossier_results"]},
        {"key": "b", "number": "II.", "heading": "Đề xuất riêng của Sở", "level": 1, "default_text": "- Không."},
    ]
    mine.save()
    assert get_template("cchc-quarterly", agency) == mine
    assert get_template("cchc-quarterly", other_agency) == builtin  # other agencies keep the built-in
    lines = docx_text(build_docx(quarterly(agency)))
    assert "I. KẾT QUẢ GIẢI QUYẾT TTHC" in lines and "II. ĐỀ XUẤT RIÊNG CỦA SỞ" in lines
    assert "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH" not in lines
    assert any("không tiếp nhận hồ sơ TTHC nào" in line for line in lines)
    builtin.refresh_from_db()
    assert builtin.outline[0]["key"] == "direction"  # the copy did not change the built-in


def test_outline_validation_reports_every_problem(db):
    from cchc.reports.templates_registry import validate_outline

    with pytest.raises(ValidationError) as caught:
        validate_outline(
            [
                {"key": "x", "number": "I.", "heading": "Một", "level": 1, "block": "khong_co"},
                {"key": "x", "number": "1.", "heading": "Hai", "level": 7},
            ],
            [{"block": "plan_appendix_rating", "title": "Năm {nam}"}],
        )
    text = " ".join(caught.value.messages)
    assert "«khong_co»" in text
    assert "«x» bị trùng" in text
    assert "cấp mục phải từ 1 đến 4" in text
    assert "biến không có: nam" in text


# --- editing, conflicts, workflow --------------------------------------------------------------------------------


def test_two_saves_of_the_same_version_the_second_gets_a_conflict(agency, officer, leader):
    from cchc.reports.services import EditConflict, save_section

    report = quarterly(agency, officer)
    section = report.sections.get(key="assessment.strengths")
    opened = section.version
    saved = save_section(section, "Lãnh đạo Sở quan tâm chỉ đạo.", opened, officer)
    assert saved.version == opened + 1
    with pytest.raises(EditConflict) as caught:
        save_section(section, "Nội dung của người thứ hai.", opened, leader)
    message = str(caught.value)
    assert "chuyenvien" in message and "chưa được lưu" in message
    assert caught.value.current_text == "Lãnh đạo Sở quan tâm chỉ đạo."
    section.refresh_from_db()
    assert section.text == "Lãnh đạo Sở quan tâm chỉ đạo." and section.version == opened + 1
    # Having seen the new version, the second editor can save on top of it.
    assert save_section(section, "Bản đã đối chiếu.", opened + 1, leader).version == opened + 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_version_exactly_one_wins(agency, officer, leader):
    """Four editors who opened the same version press save at the same moment, each with its own connection."""
    import threading

    from django.db import connection

    from cchc.reports.services import EditConflict, save_section

    section = quarterly(agency, officer).sections.get(key="assessment.weaknesses")
    opened = section.version
    start = threading.Barrier(4)
    outcomes: list[object] = []

    def editor(i: int) -> None:
        try:
            start.wait(timeout=10)
            save_section(section, f"Nội dung của người thứ {i}", opened, officer if i % 2 else leader)
            outcomes.append(i)
        except BaseException as exc:  # noqa: B036 - reported to the main thread
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=editor, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [o for o in outcomes if isinstance(o, int)]
    conflicts = [o for o in outcomes if isinstance(o, EditConflict)]
    assert len(winners) == 1 and len(conflicts) == 3, outcomes
    section.refresh_from_db()
    assert section.text == f"Nội dung của người thứ {winners[0]}" and section.version == opened + 1


def test_permissions_viewer_cannot_edit_officer_cannot_approve(agency, officer, viewer, leader, foreign_agency,
                                                                make_user):  # fmt: skip
    from cchc.reports.services import approve, create_report, return_to_draft, save_section, submit

    report = quarterly(agency, officer)
    section = report.sections.first()
    with pytest.raises(PermissionDenied):
        save_section(section, "Không được lưu", section.version, viewer)
    with pytest.raises(PermissionDenied):
        create_report(agency, "cchc-quarterly", "2023-Q2", viewer)
    outsider = make_user("ngoai", foreign_agency, "leader")
    with pytest.raises(PermissionDenied):
        save_section(section, "Không được lưu", section.version, outsider)
    submit(report, officer)
    with pytest.raises(PermissionDenied):
        approve(report, officer, number=5)
    with pytest.raises(PermissionDenied):
        return_to_draft(report, officer, "Sửa lại")
    section.refresh_from_db()
    assert section.text != "Không được lưu"


def test_workflow_locks_sections_keeps_versions_and_numbers_the_report_on_approval(agency, officer, leader, world):
    from cchc.audit.models import AuditEntry
    from cchc.documents.models import Direction, Register
    from cchc.reports.builder import build_document
    from cchc.reports.models import ReportStatus
    from cchc.reports.services import approve, return_to_draft, save_section, save_version, submit

    report = quarterly(agency, officer)
    assert report.versions.count() == 1
    section = report.sections.get(key="proposals")
    section = save_section(section, "Đề nghị UBND tỉnh bố trí biên chế cho bộ phận một cửa.", section.version, officer)
    save_version(report, officer, "Bản gửi phòng góp ý")
    submit(report, officer)
    with pytest.raises(ValidationError):
        save_section(section, "Sửa khi đã trình", section.version, officer)
    with pytest.raises(ValidationError):
        return_to_draft(report, leader, "  ")
    return_to_draft(report, leader, "Bổ sung số liệu tài chính")
    section = save_section(section, "Không.", section.version, officer)
    submit(report, officer)
    with pytest.raises(ValidationError):  # no outgoing register and no typed number
        approve(report, leader)
    Register.objects.create(agency=agency, name="Sổ văn bản đi", direction=Direction.OUTGOING)
    report = approve(report, leader, issue_date=D(2023, 3, 20))
    assert report.status == ReportStatus.APPROVED and report.approved_by == leader
    assert (report.number, report.symbol) == ("01", "BC-SKHCN")
    assert report.document.excerpt.startswith("Công tác cải cách hành chính Quý I năm 2023")
    versions = list(report.versions.order_by("version").values_list("version", "status", "note"))
    assert [v[0] for v in versions] == [1, 2, 3, 4, 5, 6]
    assert [v[1] for v in versions] == ["draft", "draft", "submitted", "draft", "submitted", "approved"]
    assert "Bổ sung số liệu tài chính" in versions[3][2]
    first_submit = report.versions.get(version=3).snapshot
    assert next(s for s in first_submit["sections"] if s["key"] == "proposals")["text"].startswith("Đề nghị")
    with pytest.raises(ValidationError):
        approve(report, leader, number=2)
    transitions = AuditEntry.objects.filter(object_id=str(report.pk), action="transition").count()
    assert transitions == 4  # submit, return, submit, approve
    document = build_document(report)
    assert document.number_line == "Số: 01/BC-SKHCN"
    assert document.date_line == "Quảng Trị, ngày 20 tháng 3 năm 2023"


def test_typed_number_on_approval(agency, officer, leader):
    from cchc.reports.services import approve, submit

    report = quarterly(agency, officer)
    submit(report, officer)
    with pytest.raises(ValidationError):
        approve(report, leader, number="ba")
    report = approve(report, leader, number="7", issue_date=D(2023, 3, 19))
    assert report.number == "07" and report.document is None


# --- the command -------------------------------------------------------------------------------------------------


def test_command_builds_docx_pdf_and_xlsx_reusing_the_draft(agency, world, tmp_path):
    import openpyxl
    from django.core.management import CommandError, call_command

    from cchc.reports.models import Report

    out = tmp_path / "bao-cao.docx"
    call_command("report", "build", "--agency", "skhcn", "--province", "H45", "--template", "cchc-quarterly",
                 "--period", "2023-Q1", "-o", str(out), "--pdf", "--xlsx", str(tmp_path / "bang.xlsx"))  # fmt: skip
    assert "2. Cải cách thủ tục hành chính (TTHC)" in docx_text(out.read_bytes())
    pdf = (tmp_path / "bao-cao.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    workbook = openpyxl.load_workbook(tmp_path / "bang.xlsx")
    assert len(workbook.sheetnames) == 1  # the Biểu 06 table of the quarterly report
    call_command("report", "build", "--agency", "SKHCN", "--period", "2023-Q1", "-o", str(out))
    assert Report.objects.filter(agency=agency).count() == 1
    with pytest.raises(CommandError):
        call_command("report", "build", "--agency", "SKHCN", "--period", "2023-Q7", "-o", str(out))
    with pytest.raises(CommandError):
        call_command("report", "build", "--agency", "KHONGCO", "--period", "2023-Q1", "-o", str(out))
