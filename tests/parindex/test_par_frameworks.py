"""Criteria sets as data: validation in Vietnamese, XLSX import and export (round trip, bad rows named, nothing
half-imported), copying to a new year, the shipped default, edits frozen once a sheet is locked."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.parindex import defaults, frameworks, sheets, validation
from cchc.parindex.io import framework_xlsx
from cchc.parindex.models import AppraiserRole, Framework, Item, RuleKind, Section
from cchc.parindex.tree import build, walk
from cchc.parindex.workflow import Move

D = Decimal
HEADER = ["Mã", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Ghi chú", "Phần", "Cách chấm", "Mức điểm",
          "Tài liệu kiểm chứng", "Cơ quan thẩm định", "Đánh giá tự động", "Tham số đánh giá"]  # fmt: skip


def workbook(rows, *, tiers=(("Tốt", 85), ("Khá", 70), ("Trung bình", 50), ("Yếu", 0)), header=HEADER,
             title="Bộ tiêu chí xác định Chỉ số CCHC các sở, ban, ngành năm 2024",
             basis="Căn cứ: Quyết định số 2871/QĐ-UBND ngày 28/12/2023") -> bytes:  # fmt: skip
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Bộ tiêu chí"
    sheet.append([title])
    sheet.append([basis] if basis else [])
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if tiers is not None:
        tier_sheet = book.create_sheet("Xếp loại")
        tier_sheet.append(["Xếp loại", "Chỉ số từ (%)"])
        for row in tiers:
            tier_sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PROVINCE_ROWS = [
    ["1", "Công tác chỉ đạo, điều hành CCHC", 6, None, "Tiêu chí chấm điểm", None, None, None, "Sở Nội vụ"],
    ["1.1", "Kế hoạch CCHC năm", 2.5, None, None, None, None, None, "Sở Nội vụ"],
    ["1.1.1", "Ban hành kế hoạch đúng hạn", 1, "Trước 31/12", None, "Theo thời hạn", "chậm: 0,5",
     "Kế hoạch CCHC năm", "Sở Nội vụ", "plan_issued_by", '{"plan_kind": "cchc"}'],
    ["1.1.2", "Hoàn thành kế hoạch", 1.5, None, None, "Theo mức", "100%: 1,5; 80%: 1; 50%: 0,5",
     "Báo cáo kết quả", "Sở Nội vụ"],
    ["1.2", "Báo cáo định kỳ", 3.5, None, None, "Đạt hoặc không đạt", "ngưỡng: 95%", None, "Sở Nội vụ"],
    ["2", "Cải cách TTHC", 4, None, "Tiêu chí chấm điểm", None, None, None, "Văn phòng UBND tỉnh"],
    ["2.1", "Giải quyết hồ sơ đúng hạn", 4, None, None, "Theo tỷ lệ", "bước: 0,25", None, "Văn phòng UBND tỉnh"],
    ["3", "Điều tra xã hội học", 10, None, "Điều tra xã hội học", None, None, None, "Sở Nội vụ"],
    ["3.1", "Mức độ hài lòng", 10, None, None, "Chấm trực tiếp", None, None, "Sở Nội vụ"],
    ["T", "Điểm thưởng", 2, None, "Điểm thưởng", None, None, None, "Sở Nội vụ"],
    ["T.1", "Sáng kiến được công nhận", 1.5, None, None, "Chấm trực tiếp", None, None, "Sở Nội vụ"],
    ["T.2", "Được khen thưởng", 1.5, None, None, "Chấm trực tiếp", None, None, "Sở Nội vụ"],
]  # fmt: skip


def cells(data: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [[sheet.title, *[cell.value for cell in row]] for sheet in book.worksheets for row in sheet.iter_rows()]


def test_importing_a_province_file_then_exporting_it_gives_the_same_cells(province_world):
    data = workbook(PROVINCE_ROWS)
    result = framework_xlsx.import_framework(data, province_world["users"]["lead"], province=province_world["province"],
                                             year=2024, group="departments")  # fmt: skip
    framework = result.framework
    assert result.items == 12
    assert framework.decision_number == "2871/QĐ-UBND" and framework.decision_date.isoformat() == "2023-12-28"
    assert framework.name.startswith("Bộ tiêu chí xác định")
    assert cells(framework_xlsx.export_framework(framework)) == cells(data)
    item = framework.items.get(code="1.1.2")
    assert item.parent.code == "1.1" and item.rule == RuleKind.TIERS
    assert item.rule_params == {"tiers": [["1", "1.5"], ["0.8", "1"], ["0.5", "0.5"]]}
    assert framework.items.get(code="2.1").appraiser_role == AppraiserRole.PROVINCIAL_OFFICE
    assert framework.items.get(code="3.1").section == Section.SURVEY
    assert framework.items.get(code="1.1.1").evaluator_params == {"plan_kind": "cchc"}
    assert [t.name for t in framework.tiers.order_by("order")] == ["Tốt", "Khá", "Trung bình", "Yếu"]


def test_an_exported_framework_imports_to_the_same_framework(tiny, province_world):
    exported = framework_xlsx.export_framework(tiny)
    again = framework_xlsx.import_framework(
        exported, province_world["users"]["lead"], province=province_world["province"], year=2024, group="departments"
    )
    assert cells(framework_xlsx.export_framework(again.framework)) == cells(exported)
    fields = ("code", "title", "max_points", "section", "rule", "rule_params", "appraiser_role", "evaluator")
    original = [[getattr(n.item, f) for f in fields] + [n.depth] for n in walk(build(tiny.items.all()))]
    copied = [[getattr(n.item, f) for f in fields] + [n.depth] for n in walk(build(again.framework.items.all()))]
    assert copied == original


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_imported(province_world):
    rows = [list(row) for row in PROVINCE_ROWS]
    rows[2][2] = "một"  # row 7: the maximum
    rows[3][5] = "Theo cảm tính"  # row 8: the rule
    rows[6][0] = "2.9.1"  # row 11: no parent 2.9
    rows[4][8] = "Sở Xây dựng"  # row 9: the appraiser
    data = workbook(rows)
    with pytest.raises(framework_xlsx.FrameworkImportError) as caught:
        framework_xlsx.import_framework(data, province_world["users"]["lead"], province=province_world["province"],
                                        year=2024, group="departments")  # fmt: skip
    problems = caught.value.problems
    assert any(p.startswith("Dòng 7, cột «Điểm tối đa»") for p in problems)
    assert any(p.startswith("Dòng 8, cột «Cách chấm»") for p in problems)
    assert any(p.startswith("Dòng 11, cột «Mã»") and "2.9" in p for p in problems)
    assert any(p.startswith("Dòng 9, cột «Cơ quan thẩm định»") for p in problems)
    assert not Framework.objects.exists() and not Item.objects.exists()


def test_sums_that_do_not_add_up_refuse_the_whole_file(province_world):
    rows = [list(row) for row in PROVINCE_ROWS]
    rows[1][2] = 3  # 1.1 says 3, its children add up to 2.5
    with pytest.raises(framework_xlsx.FrameworkImportError) as caught:
        framework_xlsx.import_framework(
            workbook(rows),
            province_world["users"]["lead"],
            province=province_world["province"],
            year=2024,
            group="departments",
        )
    assert any("Mục 1.1: tổng điểm tối đa của các mục con là 2,5, khác điểm tối đa của mục (3)" in p
               for p in caught.value.problems)  # fmt: skip
    assert not Framework.objects.exists()


def test_a_file_without_the_header_or_with_tiers_out_of_order(province_world):
    lead, province = province_world["users"]["lead"], province_world["province"]
    with pytest.raises(framework_xlsx.FrameworkImportError, match="Không tìm thấy dòng tiêu đề"):
        framework_xlsx.import_framework(workbook(PROVINCE_ROWS, header=["STT", "Nội dung"]), lead, province=province,
                                        year=2024, group="departments")  # fmt: skip
    with pytest.raises(framework_xlsx.FrameworkImportError) as caught:
        framework_xlsx.import_framework(workbook(PROVINCE_ROWS, tiers=(("Tốt", 80), ("Khá", 85))), lead,
                                        province=province, year=2024, group="departments")  # fmt: skip
    assert any("Mức “Khá”: ngưỡng 85 % phải thấp hơn ngưỡng của mức trên (80 %)" in p for p in caught.value.problems)
    with pytest.raises(framework_xlsx.FrameworkImportError):
        framework_xlsx.import_framework(b"khong phai excel", lead, province=province, year=2024, group="departments")
    assert not Framework.objects.exists()


def test_only_the_provinces_home_affairs_imports_its_framework(province_world):
    data = workbook(PROVINCE_ROWS)
    for who in ("officer", "admin", "foreign_lead"):
        with pytest.raises(PermissionDenied):
            framework_xlsx.import_framework(data, province_world["users"][who], province=province_world["province"],
                                            year=2024, group="departments")  # fmt: skip
    assert not Framework.objects.exists()


def test_validation_names_every_problem_in_vietnamese(tiny):
    assert validation.problems_of(tiny) == []
    Item.objects.filter(framework=tiny, code="1.2").update(max_points=D("0.75"))
    Item.objects.filter(framework=tiny, code="T.2").update(max_points=D("1.5"))
    tiny.tiers.filter(name="Khá").update(min_index=D("90"))
    problems = validation.problems_of(tiny)
    assert "Mục 1: tổng điểm tối đa của các mục con là 2,75, khác điểm tối đa của mục (3)." in problems
    assert "Mục T.2: điểm tối đa 1,5 vượt mức trần 1 của nhóm T." in problems
    assert any("Mức “Khá”: ngưỡng 90 %" in p for p in problems)


def test_codes_are_unique_and_items_checked_as_they_are_edited(tiny, province_world):
    lead = province_world["users"]["lead"]
    with pytest.raises(ValidationError) as caught:
        frameworks.add_item(tiny, lead, code="1.1", title="Trùng mã", max_points=D("1"))
    assert "Mã 1.1 đã có trong bộ tiêu chí." in caught.value.message_dict["code"]
    with pytest.raises(ValidationError) as caught:
        frameworks.add_item(tiny, lead, code="1.3", title="Mức sai", max_points=D("1"), rule=RuleKind.TIERS,
                            rule_params={"tiers": [["1", "2"]]})  # fmt: skip
    assert "rule_params" in caught.value.message_dict
    parent = tiny.items.get(code="1")
    added = frameworks.add_item(tiny, lead, parent=parent, code="1.3", title="Tuyên truyền", max_points=D("0.5"))
    assert added.section == Section.SCORED and added.order == 3
    assert any("Mục 1: tổng điểm tối đa" in p for p in validation.problems_of(tiny))
    frameworks.update_item(parent, lead, max_points=D("3.5"))
    assert validation.problems_of(tiny) == []


def test_only_the_provinces_home_affairs_edits_the_framework(tiny, province_world):
    item = tiny.items.get(code="1.2")
    for who in ("officer", "admin", "justice", "foreign_lead"):
        with pytest.raises(PermissionDenied):
            frameworks.update_item(item, province_world["users"][who], title="Sửa trộm")
    assert tiny.items.get(code="1.2").title == "Kiểm tra CCHC"


def test_editing_stops_once_an_agency_has_locked_its_self_assessment(sheet, tiny, province_world):
    from cchc.parindex.models import ItemScore

    ItemScore.objects.filter(sheet=sheet).update(self_points=D("0"))
    sheets.move(sheet, province_world["users"]["officer"], Move.LOCK_SELF)
    with pytest.raises(ValidationError, match="sao chép thành bộ tiêu chí mới"):
        frameworks.update_item(tiny.items.get(code="1.2"), province_world["users"]["lead"], max_points=D("2"))


def test_copying_to_a_new_year_keeps_the_tree_and_moves_the_deadlines(tiny, province_world):
    import datetime as dt

    tiny.self_deadline = dt.date(2024, 1, 15)
    tiny.save()
    copy = frameworks.copy_framework(tiny, province_world["users"]["lead"], year=2024)
    assert copy.copied_from == tiny and copy.year == 2024 and copy.name == "Bộ tiêu chí thử nghiệm năm 2024"
    assert copy.self_deadline == dt.date(2025, 1, 15)
    assert copy.items.count() == tiny.items.count()
    assert copy.items.get(code="2.1").parent.code == "2"
    assert copy.appraisers.get().agency == province_world["justice"]
    assert validation.problems_of(copy) == []
    with pytest.raises(ValidationError, match="đã có bộ tiêu chí năm 2024"):
        frameworks.copy_framework(tiny, province_world["users"]["lead"], year=2024)


def test_the_default_framework_is_a_valid_template_of_eight_fields(province_world):
    template, created = defaults.load()
    assert created and template.is_template and template.province is None
    assert defaults.load() == (template, False)
    roots = build(template.items.all())
    scored = [n for n in roots if n.item.section in (Section.SCORED, Section.SURVEY)]
    assert len(scored) == 8
    assert sum(n.item.max_points for n in scored) == D("100")
    assert validation.problems_of(template) == []
    proposed = [n.item.code for n in walk(roots) if n.is_leaf and n.item.evaluator]
    assert "1.1.1" in proposed and "3.3.2" in proposed and len(proposed) >= 12
    copy = frameworks.copy_framework(template, province_world["users"]["lead"], province=province_world["province"],
                                     year=2023)  # fmt: skip
    assert copy.is_template and copy.copied_from == template and copy.province == province_world["province"]
    assert copy.name.endswith("năm 2023")


def test_every_change_of_a_framework_is_audited(tiny, province_world):
    from cchc.audit.service import history

    lead = province_world["users"]["lead"]
    frameworks.update_item(tiny.items.get(code="1.2"), lead, title="Kiểm tra công tác CCHC")
    frameworks.set_tiers(tiny, [("Tốt", D("90")), ("Khá", D("75")), ("Yếu", D("0"))], lead)
    frameworks.update_framework(tiny, lead, is_template=True)
    summaries = [entry.summary for entry in history(tiny)]
    assert summaries[:3] == ["Sửa thông tin bộ tiêu chí", "Sửa các mức xếp loại", "Sửa mục 1.2"]
    with pytest.raises(ValidationError):
        frameworks.set_tiers(tiny, [("Tốt", D("70")), ("Khá", D("75"))], lead)
    assert tiny.tiers.count() == 3


def test_an_evaluator_cchc_does_not_have_is_reported_not_refused(province_world):
    rows = [list(row) for row in PROVINCE_ROWS]
    rows[3] = [*rows[3], "evaluator_from_another_version"]  # row 8, item 1.1.2, column «Đánh giá tự động»
    result = framework_xlsx.import_framework(
        workbook(rows),
        province_world["users"]["lead"],
        province=province_world["province"],
        year=2024,
        group="departments",
    )
    assert any("Các mục" in w and "1.1.2" in w and "chưa có" in w for w in result.warnings)
    assert result.framework.items.get(code="1.1.2").evaluator == "evaluator_from_another_version"
