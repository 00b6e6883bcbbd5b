"""Every printed form of both regimes, filled from a dossier and opened back with python-docx; the QR code read back
from the picture in the .docx; what each form refuses; the Sổ theo dõi of a period."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import segno
from django.core.exceptions import ValidationError
from django.test import override_settings
from docx import Document

from cchc.dossierforms import register, services
from cchc.dossierforms.catalogue import SPECS, FormCode
from cchc.dossierforms.filling import QR_BORDER
from cchc.dossiers import lifecycle
from cchc.dossiers.models import Handover, Regime
from cchc.reports.rendering import render_docx

from .conftest import add_handovers, local
from .pngread import modules

pytestmark = pytest.mark.django_db

STATUS_URL = "https://dichvucong.quangtri.gov.vn/tra-cuu/{code}"


def text_of(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def body_table(docx: bytes, first_header: str):
    doc = Document(io.BytesIO(docx))
    return next(t for t in doc.tables if t.rows[0].cells[0].text == first_header)


def pictures(docx: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return [z.read(name) for name in sorted(z.namelist()) if name.startswith("word/media/")]


def matrix_of(text: str) -> list[list[bool]]:
    return [[bool(v) for v in row] for row in segno.make(text, error="m", boost_error=False).matrix]


def with_event(dossier, form: str, actor, unit):
    """Give the dossier the event the form reports on, through the lifecycle."""
    at = dossier.received_at + dt.timedelta(days=1)
    if form == FormCode.SUPPLEMENT:
        lifecycle.assign(dossier, unit=unit, actor=actor, at=at)
        lifecycle.request_supplement(
            dossier, actor=actor, at=at + dt.timedelta(hours=1), note="Thiếu báo cáo đánh giá an toàn"
        )
    elif form == FormCode.APOLOGY:
        lifecycle.issue_apology(dossier, actor=actor, at=at, new_date=dossier.due_date + dt.timedelta(days=7),
                                note="Chờ ý kiến thẩm định của Bộ Khoa học và Công nghệ")  # fmt: skip
    elif form == FormCode.REFUSAL:
        lifecycle.refuse(dossier, actor=actor, at=at, reason="Thiết bị không thuộc danh mục được cấp phép")
    elif form == FormCode.STOP:
        lifecycle.withdraw(dossier, actor=actor, at=at, note="Tổ chức đề nghị rút hồ sơ để bổ sung thiết bị")
    return dossier


# -- the receipt -----------------------------------------------------------------------------------------------------


def test_receipt_nd61_has_every_field_of_mau_01(nd61_dossier):
    docx = services.dossier_docx(nd61_dossier, FormCode.RECEIPT)
    text = text_of(docx)
    for expected in (
        "UBND TỈNH QUẢNG TRỊ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Quảng Trị, ngày 05 tháng 02 năm 2024",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ: {nd61_dossier.code}",
        "Bệnh viện Đa khoa tỉnh Quảng Trị", "3200123456", "Số 12 Lê Lợi, phường Đông Hà", "0233 3852 111",
        "Cấp giấy phép tiến hành công việc bức xạ", "1.004444", "Số lượng hồ sơ: 01 bộ",
        "Thời gian giải quyết hồ sơ theo quy định: 10 ngày làm việc",
        "Thời gian nhận hồ sơ: 14 giờ 05 phút, ngày 05/02/2024",
        "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 26/02/2024",
        "Đăng ký nhận kết quả: Trực tiếp", "Quyển số", "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "motcua",
    ):  # fmt: skip
        assert expected in text, expected
    assert "Tra cứu tình trạng" not in text  # no public status address configured
    table = body_table(docx, "STT")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["STT", "Tên giấy tờ", "Bản chính", "Bản sao", "Ghi chú"]
    assert rows[1:] == [
        ["1", "Đơn đề nghị cấp giấy phép (Mẫu số 01)", "1", "1", "Đã số hóa"],
        ["2", "Bản sao chứng chỉ nhân viên bức xạ", "1", "2", ""],
    ]


def test_receipt_qr_code_is_a_picture_of_the_dossier_code(nd118_dossier):
    docx = services.dossier_docx(nd118_dossier, FormCode.RECEIPT)
    [png] = pictures(docx)
    expected = matrix_of(nd118_dossier.code)
    assert modules(png, len(expected), QR_BORDER) == expected
    assert modules(png, len(expected), QR_BORDER) != matrix_of(nd118_dossier.code + "X")
    doc = Document(io.BytesIO(docx))
    assert len(doc.inline_shapes) == 1
    assert doc.inline_shapes[0]._inline.docPr.get("descr") == nd118_dossier.code


@override_settings(CCHC={"PUBLIC_STATUS_URL": STATUS_URL, "ND118_EFFECTIVE": "2025-07-01"})
def test_receipt_carries_a_second_qr_code_of_the_public_status_address(nd118_dossier):
    docx = services.dossier_docx(nd118_dossier, FormCode.RECEIPT)
    url = STATUS_URL.replace("{code}", nd118_dossier.code)
    assert f"Tra cứu tình trạng hồ sơ tại: {url}" in text_of(docx)
    first, second = pictures(docx)
    assert modules(first, len(matrix_of(nd118_dossier.code)), QR_BORDER) == matrix_of(nd118_dossier.code)
    assert modules(second, len(matrix_of(url)), QR_BORDER) == matrix_of(url)


def test_receipt_without_checklist_lists_the_procedures_components_with_blank_counts(make_dossier):
    dossier = make_dossier(local(2025, 8, 5, 10), checklist=False)
    rows = [[c.text for c in r.cells] for r in body_table(services.dossier_docx(dossier, FormCode.RECEIPT), "STT").rows]
    assert rows[1:] == [
        ["1", "Đơn đề nghị cấp giấy phép (Mẫu số 01)", "", "", ""],
        ["2", "Bản sao chứng chỉ nhân viên bức xạ", "", "", ""],
        ["3", "Báo cáo đánh giá an toàn", "", "", "Nếu có"],
    ]


def test_receipt_nd118_uses_the_wording_of_tt_03_2025(nd118_dossier):
    text = text_of(services.dossier_docx(nd118_dossier, FormCode.RECEIPT))
    assert "Bộ phận Một cửa của Sở Khoa học và Công nghệ" in text
    assert "Thời điểm tiếp nhận hồ sơ: 08 giờ 40 phút, ngày 04/08/2025" in text
    assert "Quảng Trị, ngày 04 tháng 8 năm 2025" in text


# -- the other forms -------------------------------------------------------------------------------------------------

EVENT_FORMS = [(regime, form) for (regime, form) in SPECS if form not in (FormCode.RECEIPT, FormCode.REGISTER)]
EXPECTED = {
    FormCode.SUPPLEMENT: ["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Thiếu báo cáo đánh giá an toàn",
                          "Báo cáo đánh giá an toàn", "NGƯỜI HƯỚNG DẪN"],
    FormCode.REFUSAL: ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Thiết bị không thuộc danh mục được cấp phép"],
    FormCode.APOLOGY: ["Chờ ý kiến thẩm định của Bộ Khoa học và Công nghệ"],
    FormCode.STOP: ["THÔNG BÁO", "dừng giải quyết hồ sơ", "Tổ chức đề nghị rút hồ sơ để bổ sung thiết bị",
                    "THỦ TRƯỞNG CƠ QUAN", "Nơi nhận:", "Lưu: VT"],
    FormCode.CONTROL: ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
                       "Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả"],
}  # fmt: skip


@pytest.mark.parametrize(("regime", "form"), EVENT_FORMS, ids=[f"{r}-{f}" for r, f in EVENT_FORMS])
def test_each_form_of_each_regime_is_filled(regime, form, nd61_dossier, nd118_dossier, officer, unit):
    dossier = with_event(nd61_dossier if regime == Regime.ND61 else nd118_dossier, form, officer, unit)
    assert form in [f.code for f in services.available_forms(dossier)]
    text = text_of(services.dossier_docx(dossier, form))
    for expected in [*EXPECTED[form], dossier.code, "Bệnh viện Đa khoa tỉnh Quảng Trị", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA"]:
        assert expected in text, expected
    if form == FormCode.APOLOGY:
        new_date = dossier.due_date + dt.timedelta(days=7)
        assert f"{new_date:%d/%m/%Y}" in text
        title = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" if regime == Regime.ND61 else "VĂN BẢN XIN LỖI"
        assert title in text
        if regime == Regime.ND118:
            assert "đề nghị gia hạn thời gian giải quyết" in text
            assert "Số:" in text and "/XL-SKHCN" in text


def test_control_sheet_has_one_row_per_handover_with_the_steps_result(nd118_dossier, unit, one_stop_staff, officer):
    add_handovers(nd118_dossier, unit, one_stop_staff, officer)
    docx = services.dossier_docx(nd118_dossier, FormCode.CONTROL)
    rows = [[c.text for c in r.cells] for r in body_table(docx, "STT").rows]
    assert rows[0] == ["STT", "Bước xử lý", "Bên giao", "Bên nhận", "Thời điểm giao, nhận", "Kết quả", "Ghi chú"]
    assert len(rows) == 3
    assert rows[1][1].startswith("Tiếp nhận, chuyển hồ sơ → Thẩm định hồ sơ")
    assert rows[1][2] == "motcua" and rows[1][3] == "Phòng Quản lý chuyên ngành\nchuyenvien"
    assert rows[1][4] == "10:40 04/08/2025"
    assert (rows[1][5], rows[1][6]) == ("Trước hạn", "Hồ sơ giấy kèm theo")
    assert rows[2][5] == "Quá hạn"  # handed on after its step's due moment


def test_control_sheet_without_handovers_leaves_lines_to_fill_by_hand(nd61_dossier):
    # A dossier without any hand-over recorded (imported, or kept on paper): the receipt's queueing removed.
    Handover.objects.filter(dossier=nd61_dossier).delete()
    rows = body_table(services.dossier_docx(nd61_dossier, FormCode.CONTROL), "STT").rows
    assert len(rows) == 6 and all(c.text == "" for r in rows[1:] for c in r.cells[1:])


def test_stop_notice_does_not_exist_under_decree_61(nd61_dossier, officer, unit):
    with_event(nd61_dossier, FormCode.STOP, officer, unit)
    with pytest.raises(services.FormNotAvailable, match="Thông tư 01/2018/TT-VPCP .* không có mẫu thông báo dừng"):
        services.dossier_docx(nd61_dossier, FormCode.STOP)
    assert FormCode.STOP not in [f.code for f in services.available_forms(nd61_dossier)]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (FormCode.APOLOGY, "chưa có văn bản xin lỗi"),
        (FormCode.SUPPLEMENT, "chưa có yêu cầu bổ sung"),
        (FormCode.REFUSAL, "không bị từ chối"),
        (FormCode.STOP, "chưa dừng giải quyết"),
        (FormCode.REGISTER, "khoảng ngày"),
        ("giay-phep", "Không có biểu mẫu «giay-phep»"),
    ],
)
def test_a_form_the_dossiers_state_does_not_call_for_is_refused(nd118_dossier, form, message):
    with pytest.raises(services.FormNotAvailable, match=message):
        services.dossier_docx(nd118_dossier, form)


def test_menu_lists_only_the_forms_that_apply(nd118_dossier, officer, unit):
    assert [f.code for f in services.available_forms(nd118_dossier)] == [FormCode.RECEIPT, FormCode.CONTROL]
    with_event(nd118_dossier, FormCode.APOLOGY, officer, unit)
    assert [f.code for f in services.available_forms(nd118_dossier)] == [
        FormCode.RECEIPT, FormCode.APOLOGY, FormCode.CONTROL,
    ]  # fmt: skip
    assert services.available_forms(nd118_dossier)[1].label == "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"


# -- the register ----------------------------------------------------------------------------------------------------


def test_register_has_one_table_per_month_with_each_dossier(make_dossier, agency, officer, unit):
    july = make_dossier(local(2025, 7, 28, 9), name="Công ty TNHH Ánh Dương")
    august = make_dossier(local(2025, 8, 4, 9))
    lifecycle.assign(august, unit=unit, actor=officer, at=local(2025, 8, 4, 10))
    make_dossier(local(2025, 9, 2, 9), name="Ngoài kỳ")
    docx = render_docx(services.register_document(agency, dt.date(2025, 7, 1), dt.date(2025, 8, 31)))
    text = text_of(docx)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Từ ngày 01/07/2025 đến ngày 31/08/2025" in text
    assert "Số hồ sơ tiếp nhận trong kỳ: 02" in text
    assert "Tháng 7 năm 2025" in text and "Tháng 8 năm 2025" in text and "Ngoài kỳ" not in text
    doc = Document(io.BytesIO(docx))
    tables = [t for t in doc.tables if t.rows[0].cells[0].text == "STT"]
    assert len(tables) == 2
    first = [c.text for c in tables[0].rows[2].cells]
    assert first[:5] == ["1", july.code, july.procedure.name, "01", "Công ty TNHH Ánh Dương"]
    second = [c.text for c in tables[1].rows[2].cells]
    assert second[0] == "2" and second[7:10] == ["04/08/2025", f"{august.due_date:%d/%m/%Y}", "04/08/2025"]
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape


def test_register_refuses_a_reversed_or_too_large_period(make_dossier, agency, monkeypatch):
    with pytest.raises(ValidationError, match="Ngày cuối kỳ"):
        services.register_document(agency, dt.date(2025, 8, 1), dt.date(2025, 7, 1))
    with pytest.raises(ValidationError, match="366 ngày"):
        services.register_document(agency, dt.date(2024, 1, 1), dt.date(2025, 6, 1))
    make_dossier(local(2025, 8, 4, 9))
    make_dossier(local(2025, 8, 5, 9))
    monkeypatch.setattr(register, "MAX_ROWS", 1)
    with pytest.raises(ValidationError, match="có 2 hồ sơ, quá 1 hồ sơ"):
        services.register_document(agency, dt.date(2025, 8, 1), dt.date(2025, 8, 31))
