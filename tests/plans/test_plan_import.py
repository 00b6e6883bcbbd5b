"""Importing a plan's task table from CSV or XLSX: hierarchy from the TT codes, row errors, idempotence."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata

import openpyxl
import pytest

from cchc.audit.models import AuditEntry
from cchc.audit.service import history
from cchc.plans.services import PlanImportError, import_tasks

D = dt.date
HEADER = ["TT", "Nội dung", "Sản phẩm/Khối lượng", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"]
GOOD_ROWS = [
    ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "", "", "", ""],
    ["1", "Ban hành Kế hoạch CCHC năm 2023", "Kế hoạch", "Văn phòng Sở", "Các phòng, đơn vị", "Tháng 01/2023"],
    ["2", "Kiểm tra công tác CCHC", "", "Văn phòng", "", ""],
    ["2.1", "Kiểm tra tại các đơn vị sự nghiệp", "02 cuộc kiểm tra", "VP", "QLCN", "Quý III/2023"],
    ["a", "Trung tâm Kỹ thuật", "01 cuộc", "Văn phòng", "", "30/9/2023"],
    ["b)", "Trung tâm Ứng dụng", "01 cuộc", "Văn phòng", "", "Theo chỉ đạo của lãnh đạo Sở"],
    ["II.", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "", "", "", ""],
    [
        "1.",
        "Rà soát, đơn giản hóa TTHC",
        "03 TTHC được đơn giản hóa",
        "Phòng Quản lý công nghệ",
        "Văn phòng; Phòng Kế hoạch - Tài chính",
        "Quý II",
    ],
    ["2", "Hỗ trợ doanh nghiệp", "03 doanh nghiệp được hỗ trợ", "QLCN", "", "Thường xuyên"],
]


def write_csv(path, rows, header=HEADER, preamble=(), delimiter=","):
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for line in preamble:
            writer.writerow(line)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, header=HEADER, preamble=()):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in [*preamble, header, *rows]:
        sheet.append(line)
    workbook.save(path)
    return path


def tree(plan):
    def path(task):
        return f"{path(task.parent)} > {task.code}" if task.parent_id else task.code

    return [path(t) for t in plan.tasks.select_related("parent__parent__parent").order_by("order")]


@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_import_builds_the_hierarchy(plan, office, division, officer, tmp_path, writer):
    preamble = [["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2023"], [""]]
    numbering = ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]
    name = "ke-hoach.csv" if writer is write_csv else "ke-hoach.xlsx"
    path = writer(tmp_path / name, [numbering, *GOOD_ROWS], preamble=preamble)

    result = import_tasks(plan, path, officer)

    assert (result.created, result.updated, result.unchanged, result.errors) == (9, 0, 0, [])
    assert tree(plan) == [
        "I",
        "I > 1",
        "I > 2",
        "I > 2 > 2.1",
        "I > 2 > 2.1 > a",
        "I > 2 > 2.1 > b",
        "II",
        "II > 1",
        "II > 2",
    ]
    tasks = {(t.parent.code if t.parent else "", t.code): t for t in plan.tasks.select_related("parent")}
    first = tasks[("I", "1")]
    assert (first.lead_unit, first.lead_text, first.due_date) == (office, "Văn phòng Sở", D(2023, 1, 31))
    assert first.cooperating_text == "Các phòng, đơn vị" and not first.cooperating_units.exists()
    inspection = tasks[("2", "2.1")]
    assert inspection.lead_unit == office and list(inspection.cooperating_units.all()) == [division]
    assert inspection.volume == "02 cuộc kiểm tra" and inspection.deadline.label() == "Quý III/2023"
    simplify = tasks[("II", "1")]
    assert simplify.lead_unit == division and simplify.due_date == D(2023, 6, 30)  # "Quý II" of the plan's year
    assert list(simplify.cooperating_units.all()) == [office]
    assert tasks[("II", "2")].deadline_kind == "continuous"
    unknown = tasks[("2.1", "b")]
    assert unknown.deadline_kind == "none" and unknown.deadline_text == "Theo chỉ đạo của lãnh đạo Sở"
    assert [(w.row, "Theo chỉ đạo" in w.message) for w in result.warnings] == [
        (10 if writer is write_csv else 10, True)
    ]
    assert history(first).get().action == AuditEntry.Action.IMPORT
    assert history(plan).first().changes == {"created": 9, "updated": 0, "unchanged": 0, "errors": 0}


def test_reimport_is_idempotent_and_updates_in_place(plan, officer, office, tmp_path):
    path = write_csv(tmp_path / "plan.csv", GOOD_ROWS)
    import_tasks(plan, path, officer)
    ids = set(plan.tasks.values_list("pk", flat=True))
    entries = AuditEntry.objects.count()

    again = import_tasks(plan, path, officer)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 9)
    assert set(plan.tasks.values_list("pk", flat=True)) == ids
    assert AuditEntry.objects.count() == entries + 1  # only the import's own entry

    edited = [row[:] for row in GOOD_ROWS]
    edited[1][5] = "Tháng 3/2023"
    edited[8][2] = "05 doanh nghiệp được hỗ trợ"
    third = import_tasks(plan, write_csv(tmp_path / "edited.csv", edited), officer)
    assert (third.created, third.updated, third.unchanged) == (0, 2, 7)
    task = plan.tasks.get(parent__code="I", code="1")
    assert task.due_date == D(2023, 3, 31)
    assert history(task).first().changes["deadline_text"] == ["Tháng 01/2023", "Tháng 3/2023"]


def test_bad_rows_are_reported_with_their_row_numbers(plan, officer, tmp_path):
    rows = [
        ["a", "Mục chữ trước mọi mục số", "", "", "", ""],  # row 2
        ["I", "CẢI CÁCH THỂ CHẾ", "", "", "", ""],  # row 3
        ["1", "", "", "", "", "Quý I/2023"],  # row 4: no content
        ["1.1", "Con của một dòng lỗi", "", "", "", ""],  # row 5
        ["2", "Rà soát văn bản QPPL", "", "", "", "Quý II/2023"],  # row 6
        ["2", "Trùng số thứ tự", "", "", "", ""],  # row 7
        ["3.1", "Không có mục 3", "", "", "", ""],  # row 8
        ["", "Dòng không có số thứ tự", "", "", "", ""],  # row 9
        ["A", "Số thứ tự lạ", "", "", "", ""],  # row 10
        ["", "", "", "", "", ""],  # row 11: empty, ignored
        ["II", "CẢI CÁCH TTHC", "", "", "", ""],  # row 12
        ["1", "Công bố TTHC", "", "", "", "Tháng 5/2023"],  # row 13
    ]
    result = import_tasks(plan, write_csv(tmp_path / "bad.csv", rows), officer)
    assert [error.row for error in result.errors] == [2, 4, 5, 7, 8, 9, 10]
    messages = {error.row: error.message for error in result.errors}
    assert "không nằm dưới mục đánh số" in messages[2]
    assert messages[4] == "thiếu nội dung."
    assert "mục cha" in messages[5]
    assert "trùng với dòng 6" in messages[7]
    assert "không tìm thấy mục 3" in messages[8]
    assert "thiếu số thứ tự" in messages[9]
    assert "“A”" in messages[10]
    assert str(result.errors[1]) == "Dòng 4: thiếu nội dung."
    assert result.created == 4 and tree(plan) == ["I", "I > 2", "II", "II > 1"]


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Excel writes it: precomposed â ê ô ơ ư ă đ, tone marks as combining characters."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        candidates = [base + "".join(marks)]
        for index, mark in enumerate(marks):
            candidates.append(unicodedata.normalize("NFC", base + mark) + "".join(marks[:index] + marks[index + 1 :]))
        for candidate in candidates:
            try:
                out += candidate.encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            raise AssertionError(char)
    return out


def test_semicolon_csv_in_windows_encoding(plan, officer, tmp_path):
    path = tmp_path / "plan.csv"
    text = "TT;Nội dung;Thời gian hoàn thành\nI;CẢI CÁCH TỔ CHỨC BỘ MÁY;\n1;Rà soát chức năng, nhiệm vụ;Quý IV/2023\n"
    path.write_bytes(cp1258(text))
    result = import_tasks(plan, path, officer)
    assert result.created == 2 and not result.errors
    assert plan.tasks.get(code="1").content == "Rà soát chức năng, nhiệm vụ"


def test_uploaded_file_object(plan, officer):
    data = io.StringIO()
    csv.writer(data).writerows([HEADER, *GOOD_ROWS[:2]])
    upload = io.BytesIO(data.getvalue().encode("utf-8"))
    upload.name = "upload.csv"
    assert import_tasks(plan, upload, officer).created == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("no-header.csv", "Số;Việc\n1;Làm\n", "“TT” và “Nội dung”"),
        ("old.xls", "x", ".xls"),
        ("broken.xlsx", "PK not really a zip", "Excel"),
    ],
)
def test_unreadable_files_are_refused(plan, officer, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8"))
    with pytest.raises(PlanImportError) as error:
        import_tasks(plan, path, officer)
    assert message in str(error.value)
    assert not plan.tasks.exists()
