"""The review side of importing reports: figure values in Vietnamese format checked by kind, the officer's edits
(audited, all or nothing), the agency proposed from the report across the 2025 mergers, the period proposed from the
title, the text or the date, the same report in another format recognised and replaced on confirming (never counted
twice), the source sentences marked in the text, and several files read in the task queue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cchc.agencies.models import Agency, Province
from cchc.aggregation import importing
from cchc.aggregation.importing import FigureEdits, FigureErrors, apply_edits, confirm, review, stage_file
from cchc.aggregation.importing.document import mark_sources
from cchc.aggregation.importing.jobs import start_upload
from cchc.aggregation.importing.values import format_value, parse_value
from cchc.aggregation.models import (
    AgencySource,
    AggregationGroup,
    ImportedReport,
    ImportStatus,
    ReportedFigure,
    Submission,
)
from cchc.aggregation.rollup import rollup_table
from cchc.audit.models import AuditEntry
from cchc.jobs.models import Job, JobState
from cchc.jobs.worker import run_ready_in_process
from cchc.statistics.periods import parse_period

pytestmark = pytest.mark.django_db

NINH_THUAN = "ninhthuan-skhcn-2023-6t-cchc"  # Sở KH&CN Ninh Thuận, 6 months 2023, 58/BC-SKHCN of 19/06/2023
PHU_YEN = "phuyen-skhcn-2023-cchc-nam"  # Sở KH&CN Phú Yên, 2023, 214/BC-SKHCN of 18/12/2023
HA_GIANG = "hagiang-skhcn-2022-moi-truong-kinh-doanh"  # no period in its title, dated 08/06/2022
MERGED = dt.date(2025, 6, 30)
NEW_MAP = dt.date(2025, 7, 1)


@pytest.fixture
def ministry_desk(make_user):
    """The ministry collects the Sở KH&CN of Ninh Thuận and Phú Yên (both merged on 01/7/2025: into Khánh Hòa and
    Đắk Lắk) and of Khánh Hòa and Đắk Lắk after the change; four agencies of the same name."""
    provinces = {}
    for code, name in (("H58", "Ninh Thuận"), ("H54", "Phú Yên"), ("H56", "Khánh Hòa"), ("H66", "Đắk Lắk")):
        provinces[name] = Province.objects.create(code=code, name=name)
    provinces["Ninh Thuận"].successor = provinces["Khánh Hòa"]
    provinces["Phú Yên"].successor = provinces["Đắk Lắk"]
    for old in ("Ninh Thuận", "Phú Yên"):
        provinces[old].valid_to = MERGED
        provinces[old].save()
    name = "Sở Khoa học và Công nghệ"
    new = {p: Agency.objects.create(province=provinces[p], code="SKHCN", name=name, valid_from=NEW_MAP)
           for p in ("Khánh Hòa", "Đắk Lắk")}  # fmt: skip
    old = {
        "Ninh Thuận": Agency.objects.create(province=provinces["Ninh Thuận"], code="SKHCN", name=name,
                                            valid_to=MERGED, successor=new["Khánh Hòa"]),
        "Phú Yên": Agency.objects.create(province=provinces["Phú Yên"], code="SKHCN", name=name, valid_to=MERGED,
                                         successor=new["Đắk Lắk"]),
    }  # fmt: skip
    ministry = Agency.objects.create(code="BKHCN", name="Bộ Khoa học và Công nghệ", kind=Agency.Kind.MINISTRY)
    group = AggregationGroup.objects.create(aggregator=ministry, name="Các Sở KH&CN")
    group.members.set([*old.values(), *new.values()])
    user = make_user("bo.tonghop", ministry, "aggregator")
    return {"ministry": ministry, "old": old, "new": new, "user": user, "group": group, "provinces": provinces}


def _candidates(user):
    return importing.import_agencies(user)


# --- values ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("dossiers_received", "1.176.355", Decimal(1176355)),
        ("dossiers_received", "1176355", Decimal(1176355)),
        ("dossiers_received", " 02 ", Decimal(2)),
        ("on_time_rate_pct", "98,81", Decimal("98.81")),
        ("on_time_rate_pct", "98.81", Decimal("98.81")),
        ("on_time_rate_pct", "100%", Decimal(100)),
        ("par_index_score", "87,32", Decimal("87.32")),
        ("par_index_rank", "29", Decimal(29)),
        ("revenue_collected", "1.234,5", Decimal("1234.5")),
    ],
)
def test_values_are_read_as_vietnamese_writes_them(key, text, value):
    assert parse_value(text, key) == value


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("dossiers_received", "5,65", "là số đếm: phải là số nguyên không âm"),
        ("dossiers_received", "-3", "không được âm"),
        ("dossiers_received", "ba trăm", "không phải là số"),
        ("dossiers_received", "", "chưa nhập giá trị"),
        ("on_time_rate_pct", "120", "phải từ 0 đến 100"),
        ("par_index_rank", "0", "là thứ hạng"),
        ("par_index_rank", "29,5", "là thứ hạng"),
        ("par_index_score", "187", "là điểm: phải từ 0 đến 100"),
    ],
)
def test_values_that_cannot_be_are_refused_in_words_naming_the_figure(key, text, message):
    with pytest.raises(ValidationError) as error:
        parse_value(text, key)
    text_of_error = error.value.messages[0]
    assert message in text_of_error
    assert key not in text_of_error  # the label, never the key
    assert importing.values.figure_label(key) in text_of_error


@pytest.mark.parametrize(("value", "text"), [(1176355, "1.176.355"), (98.81, "98,81"), (Decimal("74.0000"), "74"),
                                             (Decimal("1234.50"), "1.234,5"), (0, "0"), (None, "")])  # fmt: skip
def test_values_are_shown_in_vietnamese_format(value, text):
    assert format_value(value) == text


# --- periods -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "date", "key", "source"),
    [
        ("Công tác cải cách hành chính quý I năm 2023", "2023-03-16", "2023-Q1", "title"),
        ("Kết quả CCHC Quý 3/2019", "2019-09-16", "2019-Q3", "title"),
        ("Báo cáo CCHC quý II và phương hướng nhiệm vụ quý III năm 2024", "2024-06-12", "2024-Q2", "title"),
        ("Kết quả 6 tháng đầu năm 2023", "2023-06-19", "2023-H1", "title"),
        ("Kết quả CCHC 6 tháng năm 2022", None, "2022-H1", "title"),
        ("Tình hình 6 tháng cuối năm 2021", None, "2021-H2", "title"),
        ("Công tác cải cách hành chính 9 tháng năm 2025", "2025-09-22", "2025-9M", "title"),
        ("Kết quả 9 tháng đầu năm 2024", "2024-09-20", "2024-9M", "title"),
        ("Báo cáo công tác CCHC năm 2023 và phương hướng năm 2024", "2023-12-18", "2023", "title"),
        ("Tình hình tháng 5/2024", "2024-05-20", "2024-05", "title"),
        ("Báo cáo kết quả thực hiện Nghị quyết 02", "2022-06-08", "2022-H1", "date"),
        ("Báo cáo kết quả thực hiện Nghị quyết 02", "2023-01-10", "2022", "date"),
        ("Báo cáo kết quả thực hiện Nghị quyết 02", "2023-04-05", "2023-Q1", "date"),
        ("Báo cáo kết quả thực hiện Nghị quyết 02", "2023-05-20", None, None),  # mid-quarter: no guess
        ("Báo cáo", None, None, None),
    ],
)
def test_the_period_is_proposed_from_the_title_else_the_date(title, date, key, source):
    guess = importing.propose_period({"title": title, "date": date})
    assert (guess.period.key if guess else None, guess.source if guess else None) == (key, source)
    # Only a period the report states is taken as read; a date's guess is left to the officer.
    stated = importing.guess_period({"title": title, "date": date})
    assert (stated.key if stated else None) == (key if source == "title" else None)


def test_a_date_in_the_heading_is_no_monthly_period_and_the_opening_text_states_the_period():
    text = ("UBND TỈNH LAI CHÂU\nSỞ TƯ PHÁP\nLai Châu, ngày 16 tháng 9 năm 2019\nBÁO CÁO\nKết quả công tác của Sở\n"
            "Căn cứ Kế hoạch số 15/KH-UBND về cải cách hành chính năm 2019,\n"
            "Trong quý III năm 2019, Sở đã tiếp nhận 120 hồ sơ.")  # fmt: skip
    guess = importing.propose_period({"title": "Kết quả công tác của Sở", "date": "2019-09-16"}, text)
    assert (guess.period.key, guess.source) == ("2019-Q3", "text")
    cited_only = text.replace("Trong quý III năm 2019, ", "")
    guess = importing.propose_period({"title": "Kết quả công tác của Sở", "date": "2019-09-16"}, cited_only)
    assert (guess.period.key, guess.source) == ("2019-Q3", "date")  # the plan cited "năm 2019" says nothing


# --- agency proposals ---------------------------------------------------------------------------------------------


def test_a_2023_report_goes_to_the_agency_valid_then_and_the_page_names_its_successor(ministry_desk):
    old, new = ministry_desk["old"], ministry_desk["new"]
    candidates = _candidates(ministry_desk["user"])
    metadata = {"agency": "Sở Khoa học và Công nghệ", "province": "Ninh Thuận", "symbol": "BC-SKHCN"}
    proposal = importing.propose_agency(metadata, candidates, dt.date(2023, 6, 19))
    assert proposal.agency == old["Ninh Thuận"]
    assert proposal.successor == new["Khánh Hòa"]
    assert "nay là Sở Khoa học và Công nghệ – Khánh Hòa" in proposal.reason
    # The same department's report of late 2025 is its successor's.
    later = {"agency": "Sở Khoa học và Công nghệ", "province": "Khánh Hòa", "symbol": "BC-SKHCN"}
    assert importing.propose_agency(later, candidates, dt.date(2025, 9, 22)).agency == new["Khánh Hòa"]
    # Without diacritics, in capitals, abbreviated, with the province in the name: the same agency.
    for name, province in (("SO KHOA HOC VA CONG NGHE", "Ninh Thuan"), ("Sở KH&CN", "Ninh Thuận"),
                           ("Sở Khoa học và Công nghệ tỉnh Ninh Thuận", "Ninh Thuận")):  # fmt: skip
        found = importing.propose_agency({"agency": name, "province": province}, candidates, dt.date(2023, 6, 19))
        assert found.agency == old["Ninh Thuận"], name


def test_the_picker_names_each_agency_with_its_province(ministry_desk):
    labels = [importing.agency_label(a) for a in _candidates(ministry_desk["user"])]
    assert len(labels) == len(set(labels)) == 4
    assert "Sở Khoa học và Công nghệ – Ninh Thuận (đến 30/06/2025)" in labels
    assert "Sở Khoa học và Công nghệ – Khánh Hòa" in labels


def test_when_only_the_successor_may_be_imported_for_it_is_proposed_and_says_why(ministry_desk):
    group, old, new = ministry_desk["group"], ministry_desk["old"], ministry_desk["new"]
    group.members.remove(old["Ninh Thuận"])
    candidates = _candidates(ministry_desk["user"])
    metadata = {"agency": "Sở Khoa học và Công nghệ", "province": "Ninh Thuận", "symbol": "BC-SKHCN"}
    proposal = importing.propose_agency(metadata, candidates, dt.date(2023, 6, 19))
    assert proposal.agency == new["Khánh Hòa"] and proposal.named == old["Ninh Thuận"]
    assert "đã hợp nhất vào Sở Khoa học và Công nghệ – Khánh Hòa" in proposal.reason
    # cchc without the old agency at all: the old province's successor province leads to the new agency.
    old["Ninh Thuận"].delete()
    proposal = importing.propose_agency(metadata, _candidates(ministry_desk["user"]), dt.date(2023, 6, 19))
    assert proposal.agency == new["Khánh Hòa"]
    assert "tỉnh này đã hợp nhất vào Khánh Hòa" in proposal.reason


def test_no_proposal_when_the_report_is_ambiguous_or_names_an_agency_outside_the_desk(ministry_desk):
    candidates = _candidates(ministry_desk["user"])
    no_province = importing.propose_agency({"agency": "Sở Khoa học và Công nghệ"}, candidates, dt.date(2023, 6, 1))
    assert no_province.agency is None and "nhiều cơ quan cùng khớp" in no_province.reason
    elsewhere = importing.propose_agency({"agency": "Sở Tư pháp", "province": "Lai Châu"}, candidates)
    assert elsewhere.agency is None and "không khớp cơ quan nào" in elsewhere.reason
    nothing = importing.propose_agency({}, candidates)
    assert nothing.agency is None and "không ghi rõ tên cơ quan" in nothing.reason


def test_uploads_left_to_recognise_their_agency_land_on_the_agency_they_name(ministry_desk, corpus):
    user, old = ministry_desk["user"], ministry_desk["old"]
    candidates = _candidates(user)
    ninh_thuan = stage_file(None, corpus(NINH_THUAN).path("docx"), user, candidates=candidates,
                            desk=ministry_desk["ministry"])  # fmt: skip
    phu_yen = stage_file(None, corpus(PHU_YEN).path("docx"), user, candidates=candidates,
                         desk=ministry_desk["ministry"])  # fmt: skip
    assert (ninh_thuan.agency, ninh_thuan.agency_source) == (old["Ninh Thuận"], AgencySource.READ)
    assert (phu_yen.agency, phu_yen.agency_source) == (old["Phú Yên"], AgencySource.READ)
    assert (ninh_thuan.period_key, phu_yen.period_key) == ("2023-H1", "2023")
    assert "6 tháng đầu năm 2023" in ninh_thuan.text
    # A report of an agency the ministry does not collect waits on the ministry's desk until someone chooses.
    foreign = stage_file(None, corpus("laichau-stp-2019-q3-cchc").path("docx"), user, candidates=candidates,
                         desk=ministry_desk["ministry"])  # fmt: skip
    assert (foreign.agency, foreign.agency_source) == (ministry_desk["ministry"], AgencySource.UNKNOWN)
    assert importing.may_handle(user, foreign)
    # Nothing of the desk's own data is compared with it while its agency is unknown.
    from cchc.procedures.models import Field, Procedure

    Procedure.objects.create(agency=ministry_desk["ministry"], code="1.0", name="Thủ tục của Bộ",
                             field=Field.objects.create(name="Lĩnh vực"), processing_time=1,
                             effective_from=dt.date(2019, 1, 1))  # fmt: skip
    waiting = review(foreign, candidates=candidates)
    assert not waiting.uses_cchc and waiting.duplicates == [] and waiting.proposal.agency is None
    assert review(foreign, agency=old["Phú Yên"]).references[0].existing is None
    with pytest.raises(ValidationError) as error:
        confirm(foreign, {"period": "2019-Q3"}, user)
    assert "hãy chọn cơ quan" in str(error.value)
    done = confirm(foreign, {"period": "2019-Q3", "agency": old["Phú Yên"], "tasks": False}, user)
    assert (done.agency, done.agency_source, done.status) == (old["Phú Yên"], AgencySource.CHOSEN,
                                                               ImportStatus.CONFIRMED)  # fmt: skip


# --- duplicates --------------------------------------------------------------------------------------------------


def test_the_same_report_in_another_format_replaces_the_earlier_one_and_is_never_counted_twice(ministry_desk, corpus):
    user, old, ministry = ministry_desk["user"], ministry_desk["old"], ministry_desk["ministry"]
    department = old["Ninh Thuận"]
    report = corpus(NINH_THUAN)
    first = stage_file(department, report.path("docx"), user)
    confirm(first, {}, user)
    received = ReportedFigure.objects.get(agency=department, key="dossiers_received", imported=first).value

    again = stage_file(department, report.path("pdf"), user)
    assert again.pk != first.pk and again.sha256 != first.sha256
    assert importing.earlier_uploads(again) == [first]
    shown = review(again)
    assert shown.duplicates == [first]
    assert "58/BC-SKHCN" in shown.duplicate_texts[0][1] and "19/06/2023" in shown.duplicate_texts[0][1]
    # The retyped text too; a report with another number is no duplicate.
    retyped = stage_file(department, report.path("txt"), user)
    assert set(importing.earlier_uploads(retyped)) == {first, again}
    other = stage_file(department, corpus(PHU_YEN).path("docx"), user)
    assert importing.earlier_uploads(other) == []

    done = confirm(again, {}, user)
    first.refresh_from_db()
    retyped.refresh_from_db()
    assert (first.status, first.replaced_by) == (ImportStatus.REPLACED, done)
    assert (retyped.status, retyped.replaced_by) == (ImportStatus.REPLACED, done)
    assert done.result["replaced"] == [first.file_name, retyped.file_name]
    assert not ReportedFigure.objects.filter(imported=first).exists()
    assert Submission.objects.filter(agency=department, period_key="2023-H1").count() == 1
    assert Submission.objects.get(agency=department, period_key="2023-H1").imported == done
    table = rollup_table(ministry, parse_period("2023-H1"))
    row = next(r for r in table.rows if r.agency == department)
    assert row.cells["dossiers_received"].value == received  # once, not twice
    # A replaced upload cannot come back and be confirmed.
    with pytest.raises(ValidationError):
        confirm(retyped, {}, user)
    assert AuditEntry.objects.filter(summary__startswith="Thay báo cáo").count() == 2


def test_a_report_with_the_same_number_but_another_date_is_another_report(agency, officer):
    text = (
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 12/BC-SKHCN\nQuảng Trị, ngày {day} tháng 3 năm {year}\nBÁO CÁO\n"
        "Kết quả cải cách hành chính quý I năm {year}\nTrong quý I năm {year}, Sở đã tiếp nhận 40 hồ sơ.\n"
    )
    first = stage_file(agency, text.format(day=15, year=2023).encode(), officer, filename="a.txt")
    second = stage_file(agency, text.format(day=14, year=2024).encode(), officer, filename="b.txt")
    assert importing.earlier_uploads(second) == []
    retyped = stage_file(agency, text.format(day=15, year=2023).replace("40", "40 ").encode(), officer,
                         filename="c.txt")  # fmt: skip
    assert importing.earlier_uploads(retyped) == [first]


# --- edits ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def staged(agency, officer, corpus):
    return stage_file(agency, corpus(NINH_THUAN).path("docx"), officer)


def test_edits_are_saved_with_an_audit_entry_each_and_confirm_stores_them(staged, officer, agency):
    read = staged.extracted["figures"]
    assert read["dossiers_received"] == 42 and "dossiers_late" in read
    edits = FigureEdits(values={"dossiers_received": "43", "dossiers_resolved": str(read["dossiers_resolved"])},
                        removed={"dossiers_late"}, added=[("on_time_rate_pct", "97,5"), ("", "")])  # fmt: skip
    assert apply_edits(staged, edits, officer) == 3
    entries = list(AuditEntry.objects.filter(object_id=str(staged.pk), action=AuditEntry.Action.UPDATE)
                   .order_by("pk").values_list("summary", "changes"))  # fmt: skip
    assert [summary for summary, _c in entries] == [
        "Bỏ số liệu «Số hồ sơ giải quyết quá hạn» (0)",
        "Sửa số liệu «Tổng số hồ sơ tiếp nhận trong kỳ»: 42 → 43",
        "Thêm số liệu «Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn (%)»: 97,5",
    ]
    assert entries[1][1] == {"figure": "dossiers_received", "value": ["42", "43"]}
    staged.refresh_from_db()
    assert staged.extracted["figures"]["dossiers_received"] == 42  # as read, kept
    rows = {row.key: row for row in review(staged).figures}
    assert rows["dossiers_received"].shown == "43" and rows["dossiers_received"].read_shown == "42"
    assert rows["dossiers_received"].edited and not rows["dossiers_resolved"].edited
    assert rows["on_time_rate_pct"].read is None and "dossiers_late" not in rows
    # Back to the value read: no correction left.
    apply_edits(staged, FigureEdits(values={"dossiers_received": "42"}), officer)
    staged.refresh_from_db()
    assert "dossiers_received" not in staged.corrections["figures"]
    apply_edits(staged, FigureEdits(values={"dossiers_received": "1.043"}), officer)
    confirm(staged, {"tasks": False}, officer)
    stored = {f.key: f.value for f in ReportedFigure.objects.filter(agency=agency)}
    assert stored["dossiers_received"] == 1043 and stored["on_time_rate_pct"] == Decimal("97.5")
    assert "dossiers_late" not in stored
    with pytest.raises(ValidationError):
        apply_edits(staged, FigureEdits(values={"dossiers_received": "44"}), officer)


def test_one_bad_edit_saves_none_and_names_each_row(staged, officer):
    audits = AuditEntry.objects.count()
    edits = FigureEdits(values={"dossiers_received": "42,5", "dossiers_resolved": "39"},
                        added=[("procedures_total", "70"), ("sipas_pct", "130"), ("khong_co", "1"),
                               ("dossiers_online", "5")])  # fmt: skip
    with pytest.raises(FigureErrors) as error:
        apply_edits(staged, edits, officer)
    rows = error.value.by_row
    assert set(rows) == {"dossiers_received", "new-0", "new-1", "new-2", "new-3"}
    assert "số nguyên" in rows["dossiers_received"]
    assert "đã có trong bảng" in rows["new-0"]  # procedures_total was read
    assert "từ 0 đến 100" in rows["new-1"]
    assert "Hãy chọn chỉ tiêu" in rows["new-2"]
    assert "đã có trong bảng" in rows["new-3"]
    staged.refresh_from_db()
    assert staged.corrections == {} and AuditEntry.objects.count() == audits


def test_a_figure_read_wrong_by_kind_blocks_confirming_until_corrected(staged, officer, agency):
    staged.extracted["figures"]["on_time_rate_pct"] = 9881  # "98,81" read as thousands
    staged.save()
    with pytest.raises(ValidationError) as error:
        confirm(staged, {"tasks": False}, officer)
    assert "phải từ 0 đến 100" in str(error.value)
    assert not ReportedFigure.objects.filter(agency=agency).exists()
    apply_edits(staged, FigureEdits(values={"on_time_rate_pct": "98,81"}), officer)
    confirm(staged, {"tasks": False}, officer)
    assert ReportedFigure.objects.get(agency=agency, key="on_time_rate_pct").value == Decimal("98.81")


# --- source sentences --------------------------------------------------------------------------------------------


def test_every_source_sentence_is_marked_in_the_text(staged):
    document = review(staged).document
    sources = staged.extracted["figure_sources"]
    assert set(document.anchors) == set(sources)
    marks = {}
    for line in document.lines:
        for segment in line.segments:
            if segment.mark:
                marks[segment.mark] = marks.get(segment.mark, "") + segment.text
    for key, sentence in sources.items():
        assert marks[document.anchors[key]] == " ".join(sentence.split())
    firsts = [s.mark for line in document.lines for s in line.segments if s.first]
    assert len(firsts) == len(set(firsts)) == len(marks)  # one id per mark


def test_marks_merge_overlaps_ignore_case_and_span_lines():
    text = "Mở đầu.\nSở đã tiếp nhận 40 hồ sơ, giải quyết 38 hồ sơ.\nBảng\tTiếp nhận\t40"
    document = mark_sources(text, {
        "dossiers_received": "Sở đã tiếp nhận 40 hồ sơ",
        "dossiers_resolved": "40 hồ sơ, giải quyết 38 hồ sơ.",
        "dossiers_new": "sở ĐÃ tiếp nhận",
        "dossiers_online": "không có trong văn bản",
        "dossiers_direct": "38 hồ sơ.\nBảng",
    })  # fmt: skip
    assert document.anchors["dossiers_received"] == document.anchors["dossiers_resolved"] == "nguon-1"
    assert document.anchors["dossiers_new"] == "nguon-1"
    assert "dossiers_online" not in document.anchors
    marked = [s for s in document.lines[1].segments if s.mark]
    assert "".join(s.text for s in marked) == "Sở đã tiếp nhận 40 hồ sơ, giải quyết 38 hồ sơ."
    assert document.lines[2].is_row and [len(c) for c in document.lines[2].cells] == [1, 1, 1]


# --- several files in the task queue ------------------------------------------------------------------------------


def test_several_files_are_read_in_the_queue_each_with_its_state_a_bad_one_stopping_none(ministry_desk, corpus):
    user, old = ministry_desk["user"], ministry_desk["old"]
    files = [
        ("hong.docx", b"PK\x03\x04 not a zip", ""),
        (f"{NINH_THUAN}.docx", corpus(NINH_THUAN).path("docx").read_bytes(), ""),
        ("rong.txt", b"", "text/plain"),
        (f"{NINH_THUAN}.pdf", corpus(NINH_THUAN).path("pdf").read_bytes(), "application/pdf"),
        (f"{PHU_YEN}.docx", corpus(PHU_YEN).path("docx").read_bytes(), ""),
        (f"{HA_GIANG}.docx", corpus(HA_GIANG).path("docx").read_bytes(), ""),
    ]
    job = start_upload(files, desk=ministry_desk["ministry"], actor=user)
    assert [f["state"] for f in Job.objects.get(pk=job.pk).result["files"]] == ["waiting"] * 6
    assert not ImportedReport.objects.exists()
    assert run_ready_in_process() == 1
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (JobState.DONE, 6, 6)
    states = {f["name"]: f for f in job.result["files"]}
    assert states["hong.docx"]["state"] == "failed" and "Không đọc được tệp hong.docx" in states["hong.docx"]["message"]
    assert states["rong.txt"]["state"] == "failed" and "rỗng" in states["rong.txt"]["message"]
    assert states[f"{NINH_THUAN}.docx"]["state"] == "read"
    assert states[f"{NINH_THUAN}.docx"]["agency"] == "Sở Khoa học và Công nghệ – Ninh Thuận (đến 30/06/2025)"
    assert states[f"{NINH_THUAN}.docx"]["period"] == "6 tháng đầu năm 2023"
    assert (
        states[f"{NINH_THUAN}.pdf"]["state"] == "duplicate" and "58/BC-SKHCN" in states[f"{NINH_THUAN}.pdf"]["message"]
    )
    assert states[f"{PHU_YEN}.docx"]["state"] == "read"
    # Hà Giang's department is not the ministry's: read, waiting for someone to choose its agency.
    assert states[f"{HA_GIANG}.docx"]["state"] == "unknown"
    assert ImportedReport.objects.get(pk=states[f"{PHU_YEN}.docx"]["imported"]).agency == old["Phú Yên"]
    assert job.result["failed"] == 2
