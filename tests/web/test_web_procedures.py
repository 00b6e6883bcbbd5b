"""The procedure catalogue pages: search and filters, scoping, permissions, audited edits and exports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cchc.audit.models import AuditEntry
from cchc.audit.service import history
from cchc.procedures.models import Field, Procedure

D = dt.date


@pytest.fixture
def catalogue(agency, other_agency, foreign_agency, procedure, field):
    science = Field.objects.create(name="Hoạt động khoa học và công nghệ")
    registration = Procedure.objects.create(
        agency=agency, code="2.000001", name="Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ",
        field=science, processing_time=Decimal("15"), online_service="partial", interconnection="same_level",
        effective_from=D(2020, 1, 1),
    )  # fmt: skip
    abolished = Procedure.objects.create(
        agency=agency, code="2.000002", name="Cấp giấy chứng nhận cũ đã bãi bỏ", field=science,
        processing_time=Decimal("10"), effective_from=D(2019, 1, 1), abolished_on=D(2022, 1, 1), one_stop=False,
    )  # fmt: skip
    other = Procedure.objects.create(
        agency=other_agency, code="1.000100", name="Đăng ký thủ tục của Sở Nội vụ", field=science,
        processing_time=Decimal("5"), effective_from=D(2020, 1, 1),
    )  # fmt: skip
    foreign = Procedure.objects.create(
        agency=foreign_agency, code="2.000500", name="Đăng ký thủ tục của Cao Bằng", field=field,
        processing_time=Decimal("5"), effective_from=D(2020, 1, 1),
    )  # fmt: skip
    return {"xray": procedure, "registration": registration, "abolished": abolished, "other": other, "foreign": foreign}


def _codes(response) -> list[str]:
    return [p.code for p in response.context["page"].object_list]


def test_search_without_diacritics(client, officer, catalogue):
    client.force_login(officer)
    response = client.get("/thu-tuc/", {"q": "dang ky"})
    assert _codes(response) == ["2.000001"]  # not the other agencies' "Đăng ký ..." procedures
    assert "Đăng ký kết quả thực hiện nhiệm vụ" in response.content.decode()
    assert _codes(client.get("/thu-tuc/", {"q": "X-QUANG"})) == ["1.004444"]
    assert _codes(client.get("/thu-tuc/", {"q": "không có thủ tục này"})) == []


def test_live_search_returns_only_the_results(client, officer, catalogue):
    client.force_login(officer)
    response = client.get("/thu-tuc/", {"q": "dang ky"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "2.000001" in body and "1.004444" not in body


def test_filters(client, officer, catalogue):
    client.force_login(officer)
    assert _codes(client.get("/thu-tuc/")) == ["1.004444", "2.000001"]  # in force today
    assert _codes(client.get("/thu-tuc/", {"abolished": "on"})) == ["1.004444", "2.000001", "2.000002"]
    assert _codes(client.get("/thu-tuc/", {"on": "2019-06-01"})) == ["2.000002"]
    assert _codes(client.get("/thu-tuc/", {"online_service": "full"})) == ["1.004444"]
    assert _codes(client.get("/thu-tuc/", {"interconnection": "same_level"})) == ["2.000001"]
    assert _codes(client.get("/thu-tuc/", {"one_stop": "0", "abolished": "on"})) == ["2.000002"]
    science = catalogue["registration"].field
    assert _codes(client.get("/thu-tuc/", {"field": science.pk})) == ["2.000001"]
    # Bad input is ignored rather than an error page.
    assert client.get("/thu-tuc/", {"on": "hôm qua", "online_service": "x"}).status_code == 200


def test_pagination(client, officer, agency, field):
    for number in range(30):
        Procedure.objects.create(
            agency=agency, code=f"9.{number:06d}", name=f"Thủ tục {number}", field=field, processing_time=1,
            effective_from=D(2020, 1, 1),
        )  # fmt: skip
    client.force_login(officer)
    first = client.get("/thu-tuc/")
    assert len(_codes(first)) == 25 and "trang=2" in first.content.decode()
    assert len(_codes(client.get("/thu-tuc/", {"trang": 2}))) == 5


def test_aggregator_lists_the_province(client, make_user, agency, catalogue):
    client.force_login(make_user("tonghop", agency, "aggregator"))
    codes = _codes(client.get("/thu-tuc/"))
    assert "1.000100" in codes and "2.000500" not in codes


def test_detail_shows_fields_and_versions(client, officer, agency, catalogue):
    newer = Procedure.objects.create(
        agency=agency, code="1.004444", name="Cấp giấy phép tiến hành công việc bức xạ (bản mới)",
        field=catalogue["xray"].field, processing_time=Decimal("8"), effective_from=D(2024, 1, 1),
    )  # fmt: skip
    client.force_login(officer)
    response = client.get(f"/thu-tuc/{catalogue['xray'].pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dịch vụ công trực tuyến toàn trình" in body and "01/01/2020" in body
    assert f'href="/thu-tuc/{newer.pk}/"' in body


def test_detail_of_another_agency_is_404(client, make_user, other_agency, catalogue):
    client.force_login(make_user("snv", other_agency, "officer"))
    assert client.get(f"/thu-tuc/{catalogue['xray'].pk}/").status_code == 404
    assert client.get(f"/thu-tuc/{catalogue['xray'].pk}/sua/").status_code == 404
    assert client.get(f"/thu-tuc/{catalogue['other'].pk}/").status_code == 200


def test_viewer_may_not_edit(client, viewer, catalogue):
    client.force_login(viewer)
    procedure = catalogue["xray"]
    assert client.get(f"/thu-tuc/{procedure.pk}/").status_code == 200
    assert f'href="/thu-tuc/{procedure.pk}/sua/"' not in client.get(f"/thu-tuc/{procedure.pk}/").content.decode()
    assert client.get(f"/thu-tuc/{procedure.pk}/sua/").status_code == 403
    response = client.post(f"/thu-tuc/{procedure.pk}/sua/", _form_data(procedure, processing_time="3"))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()
    procedure.refresh_from_db()
    assert procedure.processing_time == Decimal("10")
    assert client.get("/thu-tuc/them-moi/").status_code == 403


def test_aggregator_reads_but_may_not_edit(client, make_user, agency, catalogue):
    client.force_login(make_user("tonghop", agency, "aggregator"))
    assert client.get(f"/thu-tuc/{catalogue['other'].pk}/").status_code == 200
    assert client.get(f"/thu-tuc/{catalogue['other'].pk}/sua/").status_code == 403


def _form_data(procedure: Procedure, **changes) -> dict:
    data = {
        "code": procedure.code,
        "local_code": procedure.local_code,
        "name": procedure.name,
        "field": procedure.field_id,
        "level": procedure.level,
        "processing_time": str(procedure.processing_time),
        "reduced_processing_time": "",
        "time_unit": procedure.time_unit,
        "cutoff_time": "",
        "supplement_clock": procedure.supplement_clock,
        "online_service": procedure.online_service,
        "legacy_online_level": "",
        "interconnection": procedure.interconnection,
        "one_stop": "on" if procedure.one_stop else "",
        "fees": procedure.fees,
        "result_document": procedure.result_document,
        "publishing_decision": procedure.publishing_decision,
        "effective_from": procedure.effective_from.isoformat(),
        "abolished_on": "",
    }
    data.update(changes)
    return data


def test_officer_edit_is_audited_and_shown(client, officer, catalogue):
    procedure = catalogue["xray"]
    client.force_login(officer)
    response = client.post(f"/thu-tuc/{procedure.pk}/sua/", _form_data(procedure, reduced_processing_time="7"))
    assert response.status_code == 302 and response["Location"] == f"/thu-tuc/{procedure.pk}/"
    procedure.refresh_from_db()
    assert procedure.reduced_processing_time == Decimal("7")
    entries = list(history(procedure))
    assert len(entries) == 1
    assert entries[0].action == AuditEntry.Action.UPDATE and entries[0].actor == officer
    assert "reduced_processing_time" in entries[0].changes
    body = client.get(f"/thu-tuc/{procedure.pk}/").content.decode()
    assert "Lịch sử thay đổi" in body and "Cập nhật" in body and "chuyenvien" in body
    assert "Thời hạn sau cắt giảm" in body and "<ins>7</ins>" in body


def test_invalid_edit_is_shown_and_not_saved(client, officer, catalogue):
    procedure = catalogue["xray"]
    client.force_login(officer)
    response = client.post(
        f"/thu-tuc/{procedure.pk}/sua/", _form_data(procedure, reduced_processing_time="12", abolished_on="2019-01-01")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "không được dài hơn" in body and "phải sau ngày bắt đầu" in body
    assert not list(history(procedure))


def test_officer_creates_a_procedure(client, officer, agency, field, catalogue):
    client.force_login(officer)
    template = Procedure(
        code="1.009999", name="Cấp chứng chỉ nhân viên bức xạ", field=field, processing_time=Decimal("5"),
        effective_from=D(2024, 1, 1),
    )  # fmt: skip
    response = client.post("/thu-tuc/them-moi/", _form_data(template))
    created = Procedure.objects.get(code="1.009999")
    assert response.status_code == 302 and response["Location"] == f"/thu-tuc/{created.pk}/"
    assert created.agency == agency
    assert [e.action for e in history(created)] == [AuditEntry.Action.CREATE]
    # The same code and start date again is a clash, shown on the form.
    response = client.post("/thu-tuc/them-moi/", _form_data(template))
    assert response.status_code == 200 and "cùng ngày" in response.content.decode()


def test_create_for_an_agency_the_user_cannot_see_is_404(client, officer, foreign_agency, other_agency):
    client.force_login(officer)
    assert client.get("/thu-tuc/them-moi/", {"co_quan": foreign_agency.pk}).status_code == 404
    assert client.get("/thu-tuc/them-moi/", {"co_quan": other_agency.pk}).status_code == 404
    assert client.get("/thu-tuc/them-moi/", {"co_quan": "x"}).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_is_scoped_and_filtered(client, officer, catalogue, fmt):
    client.force_login(officer)
    response = client.get(f"/thu-tuc/xuat/{fmt}/", {"q": "dang ky"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert "2.000001" in text and "1.004444" not in text and "2.000500" not in text
    else:
        import io

        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
        assert "2.000001" in cells and "1.004444" not in cells and "2.000500" not in cells


def test_export_unknown_format_is_404(client, officer, catalogue):
    client.force_login(officer)
    assert client.get("/thu-tuc/xuat/pdf/").status_code == 404
