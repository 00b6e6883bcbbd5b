"""The upload and review pages as a person uses them: several files go to the task queue and their page follows each
file; the review shows Vietnamese labels and Vietnamese numbers, every figure editable, addable and removable, each
source sentence marked in the document's text; a wrong value comes back with its message and the text as typed;
the agency proposed from the report is preselected in a picker naming provinces; the same report uploaded again is
offered as a replacement; nobody else reaches any of it."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.agencies.models import Agency, Province
from cchc.aggregation import importing
from cchc.aggregation.models import AgencySource, AggregationGroup, ImportedReport, ImportStatus, ReportedFigure
from cchc.audit.models import AuditEntry
from cchc.jobs.models import Job
from cchc.jobs.worker import run_ready_in_process

pytestmark = pytest.mark.django_db

NINH_THUAN = "ninhthuan-skhcn-2023-6t-cchc"
PHU_YEN = "phuyen-skhcn-2023-cchc-nam"


@pytest.fixture
def desk(make_user):
    """A ministry collecting three Sở KH&CN of the same name in three provinces."""
    ministry = Agency.objects.create(code="BKHCN", name="Bộ Khoa học và Công nghệ", kind=Agency.Kind.MINISTRY)
    departments = {}
    for code, name in (("H58", "Ninh Thuận"), ("H54", "Phú Yên"), ("H20", "Lạng Sơn")):
        province = Province.objects.create(code=code, name=name)
        departments[name] = Agency.objects.create(province=province, code="SKHCN", name="Sở Khoa học và Công nghệ")
    AggregationGroup.objects.create(aggregator=ministry, name="Các Sở").members.set(departments.values())
    return {"ministry": ministry, "departments": departments, "user": make_user("bo.tonghop", ministry, "aggregator")}


def _file(corpus, name: str, ext: str = "docx") -> SimpleUploadedFile:
    path = corpus(name).path(ext)
    return SimpleUploadedFile(path.name, path.read_bytes())


def _visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def _upload_one(client, corpus, name: str, ext: str = "docx") -> ImportedReport:
    response = client.post(reverse("rollup:upload"), {"agency": "", "files": [_file(corpus, name, ext)]})
    assert response.status_code == 302, response.content.decode()[:500]
    imported = ImportedReport.objects.get(file_name=f"{name}.{ext}")
    assert response["Location"] == reverse("rollup:review", args=[imported.pk])  # one small file: read at once
    return imported


def test_one_file_is_reviewed_with_labels_vietnamese_numbers_marks_and_the_proposed_agency(client, desk, corpus):
    client.force_login(desk["user"])
    imported = _upload_one(client, corpus, NINH_THUAN)
    ninh_thuan = desk["departments"]["Ninh Thuận"]
    assert (imported.agency, imported.agency_source) == (ninh_thuan, AgencySource.READ)
    page = client.get(reverse("rollup:review", args=[imported.pk]))
    html = page.content.decode()
    text = _visible_text(html)
    assert "Tổng số hồ sơ tiếp nhận trong kỳ" in text and "dossiers_received" not in text  # labels, never keys
    assert 'name="gia-tri-dossiers_received" id="gia-tri-dossiers_received" value="42"' in html
    # The picker: each agency with its province, the proposal preselected and explained.
    assert f'<option value="{ninh_thuan.pk}" selected>Sở Khoa học và Công nghệ – Ninh Thuận</option>' in html
    assert "Sở Khoa học và Công nghệ – Phú Yên</option>" in html and "Sở Khoa học và Công nghệ – Lạng Sơn" in html
    assert "Đề xuất theo tên cơ quan và tỉnh ghi trong báo cáo" in html
    assert '<option value="2023-H1" selected>6 tháng đầu năm 2023</option>' in html
    # The source sentence marked in the text, the figure's row linking to it.
    row = re.search(r'<tr data-key="dossiers_received"[^>]*data-anchor="(nguon-\d+)"', html)
    assert row, "the figure row names its anchor"
    anchor = row.group(1)
    assert f'href="#{anchor}"' in html
    mark = re.search(rf'<mark class="source" data-anchor="{anchor}" id="{anchor}" title="[^"]*">([^<]+)</mark>', html)
    assert mark and "Sở đã tiếp nhận 42 hồ sơ" in mark.group(1)
    assert "aggregation/review.js" in html and "<script>" not in html  # no inline script under the CSP


def test_edits_are_saved_audited_and_a_wrong_value_comes_back_as_typed(client, desk, corpus):
    client.force_login(desk["user"])
    imported = _upload_one(client, corpus, NINH_THUAN)
    url = reverse("rollup:review", args=[imported.pk])
    period = "2023-H1"
    bad = client.post(url, {"action": "confirm", "period": period, "gia-tri-dossiers_received": "42,5",
                            "them-chi-tieu": "sipas_pct", "them-gia-tri": "101"})  # fmt: skip
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'value="42,5"' in html and 'value="101"' in html  # the text as typed
    assert "«Tổng số hồ sơ tiếp nhận trong kỳ» là số đếm: phải là số nguyên không âm" in html
    assert "«Chỉ số hài lòng SIPAS (%)» là tỷ lệ phần trăm: phải từ 0 đến 100" in html
    assert "Chưa có gì được lưu" in html
    imported.refresh_from_db()
    assert imported.status == ImportStatus.PENDING and imported.corrections == {}

    saved = client.post(url, {"action": "save", "period": period, "gia-tri-dossiers_received": "1.042",
                              "bo-dossiers_late": "1", "them-chi-tieu": ["sipas_pct", ""],
                              "them-gia-tri": ["98,5", ""]})  # fmt: skip
    assert saved.status_code == 302
    summaries = set(AuditEntry.objects.filter(object_id=str(imported.pk)).values_list("summary", flat=True))
    assert "Sửa số liệu «Tổng số hồ sơ tiếp nhận trong kỳ»: 42 → 1.042" in summaries
    assert "Thêm số liệu «Chỉ số hài lòng SIPAS (%)»: 98,5" in summaries
    assert any(s.startswith("Bỏ số liệu «Số hồ sơ giải quyết quá hạn»") for s in summaries)
    page = client.get(saved["Location"]).content.decode()
    assert 'value="1.042"' in page and 'value="98,5"' in page and "đã sửa" in page
    assert 'data-key="dossiers_late"' not in page

    done = client.post(url, {"action": "confirm", "period": period, "agency": imported.agency_id})
    assert done.status_code == 302
    stored = {f.key: f.value for f in ReportedFigure.objects.filter(imported=imported)}
    assert stored["dossiers_received"] == 1042 and str(stored["sipas_pct"]) == "98.5000"
    assert "dossiers_late" not in stored
    confirmed = client.get(url).content.decode()
    assert 'id="review-form"' not in confirmed and "1.042" in confirmed


def test_a_report_whose_agency_is_not_recognised_asks_for_one(client, desk, corpus):
    client.force_login(desk["user"])
    response = client.post(reverse("rollup:upload"), {"files": [_file(corpus, "laichau-stp-2019-q3-cchc")]})
    imported = ImportedReport.objects.get()
    assert imported.agency_source == AgencySource.UNKNOWN and imported.agency == desk["ministry"]
    html = client.get(response["Location"]).content.decode()
    assert '<option value="" selected>— Chọn cơ quan báo cáo —</option>' in html
    assert "không khớp cơ quan nào bạn được nhập báo cáo" in html
    url = reverse("rollup:review", args=[imported.pk])
    refused = client.post(url, {"action": "confirm", "period": "2019-Q3"})
    assert refused.status_code == 400 and "hãy chọn cơ quan báo cáo" in refused.content.decode()
    chosen = desk["departments"]["Lạng Sơn"]
    assert client.post(url, {"action": "confirm", "period": "2019-Q3", "agency": chosen.pk}).status_code == 302
    imported.refresh_from_db()
    assert (imported.agency, imported.status) == (chosen, ImportStatus.CONFIRMED)


def test_the_same_report_uploaded_again_is_offered_as_a_replacement(client, desk, corpus):
    client.force_login(desk["user"])
    first = _upload_one(client, corpus, PHU_YEN)
    url = reverse("rollup:review", args=[first.pk])
    assert client.post(url, {"action": "confirm", "period": "2023", "agency": first.agency_id}).status_code == 302
    again = _upload_one(client, corpus, PHU_YEN, "txt")
    html = client.get(reverse("rollup:review", args=[again.pk])).content.decode()
    assert 'id="review-duplicates"' in html and f"«{first.file_name}» (số 214/BC-SKHCN ngày 18/12/2023)" in html
    assert "Xác nhận và thay thế lần tải lên trước" in html
    done = client.post(reverse("rollup:review", args=[again.pk]),
                       {"action": "confirm", "period": "2023", "agency": again.agency_id})  # fmt: skip
    assert done.status_code == 302
    first.refresh_from_db()
    assert first.status == ImportStatus.REPLACED
    assert not ReportedFigure.objects.filter(imported=first).exists()
    page = client.get(url).content.decode()
    assert 'id="replaced-by"' in page and again.file_name in page
    # Uploading the very same file once more finds it: nothing new.
    assert client.post(reverse("rollup:upload"), {"files": [_file(corpus, PHU_YEN, "txt")]})["Location"] == (
        reverse("rollup:review", args=[again.pk])
    )
    assert ImportedReport.objects.count() == 2


def test_several_files_go_to_the_queue_and_their_page_follows_each_file(client, desk, corpus, make_user):
    client.force_login(desk["user"])
    files = [_file(corpus, NINH_THUAN), SimpleUploadedFile("hong.docx", b"PK\x03\x04 not a zip"),
             _file(corpus, PHU_YEN, "pdf")]  # fmt: skip
    response = client.post(reverse("rollup:upload"), {"files": files})
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk]) and job.agency == desk["ministry"]
    waiting = client.get(response["Location"]).content.decode()
    assert waiting.count("Đang chờ đọc") == 3 and "hx-get" in waiting  # the page polls until the job is done
    assert run_ready_in_process() == 1
    page = client.get(response["Location"]).content.decode()
    assert 'data-state="read"' in page and 'data-state="failed"' in page and "Không đọc được tệp hong.docx" in page
    assert "3 / 3" in page
    for imported in ImportedReport.objects.all():
        assert reverse("rollup:review", args=[imported.pk]) in page
    # The upload page lists the job and the uploads, the agency of each with its province.
    listing = client.get(reverse("rollup:upload")).content.decode()
    assert reverse("jobs:detail", args=[job.pk]) in listing and "Sở Khoa học và Công nghệ – Phú Yên" in listing
    # Nobody outside the ministry's desk sees the job or the uploads; a member's viewer may not review.
    department = desk["departments"]["Ninh Thuận"]
    outsider = make_user("ngoai", Agency.objects.create(code="SNV", name="Sở Nội vụ"), "aggregator")
    client.force_login(outsider)
    assert client.get(response["Location"]).status_code == 404
    imported = ImportedReport.objects.get(agency=department)
    assert client.get(reverse("rollup:review", args=[imported.pk])).status_code == 404
    client.force_login(make_user("xem", department, "viewer"))
    assert client.get(reverse("rollup:review", args=[imported.pk])).status_code == 403
    assert client.post(reverse("rollup:review", args=[imported.pk]),
                       {"action": "save", "gia-tri-dossiers_received": "1"}).status_code == 403  # fmt: skip
    assert client.get(response["Location"]).status_code == 404


def test_an_upload_with_too_many_files_or_none_is_refused_with_a_message(client, desk):
    client.force_login(desk["user"])
    none = client.post(reverse("rollup:upload"), {"agency": ""})
    assert none.status_code == 400 and "Chọn ít nhất một tệp báo cáo" in none.content.decode()
    many = [SimpleUploadedFile(f"{i}.txt", b"x") for i in range(51)]
    refused = client.post(reverse("rollup:upload"), {"files": many})
    assert refused.status_code == 400 and "tối đa 50 tệp" in refused.content.decode()
    assert not Job.objects.exists()
    one_bad = client.post(reverse("rollup:upload"), {"files": [SimpleUploadedFile("a.exe", b"MZ")]})
    assert one_bad.status_code == 400 and "không phải báo cáo dạng .docx" in one_bad.content.decode()
    other = Agency.objects.create(code="STP", name="Sở Tư pháp")
    assert client.post(reverse("rollup:upload"), {"agency": other.pk, "files": [SimpleUploadedFile("a.txt", b"x")]},
                       ).status_code == 404  # fmt: skip
    assert importing.import_agencies(desk["user"]) == sorted(
        desk["departments"].values(), key=lambda a: (a.name, a.province.name)
    )
