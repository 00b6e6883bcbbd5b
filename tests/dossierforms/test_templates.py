"""Templates as data: the markup's validation (each error in Vietnamese with its line number), which template a
dossier prints with (the agency's variant over the province's over the default; the version in force on its receipt
day), the audit of an edit and the reset to the default."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.audit.models import AuditEntry
from cchc.audit.service import history
from cchc.dossierforms import markup, services, templates_store
from cchc.dossierforms.catalogue import SPECS, FormCode
from cchc.dossierforms.models import FormTemplate
from cchc.dossiers.models import Regime

from .test_forms import text_of

pytestmark = pytest.mark.django_db

GOOD = "@tieu-de GIẤY BIÊN NHẬN\n@trich-yeu Mã hồ sơ: {{ dossier.code }}\nNgười nộp: {{ applicant.name }}\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("@tieu-de A\n\nNgười nộp: {{ applicant.names }}", "Dòng 3: trường «applicant.names» không có"),
        ("@tieu-de A\n@bang-thanh-phan\n@vien-khung", "Dòng 3: lệnh «@vien-khung» không có"),
        ("@tieu-de A\nMã: {{ dossier.code }", "Dòng 2: dấu {{ hoặc }} không đi thành cặp"),
        ("Mã: {{ dossier.code }}", "Mẫu thiếu dòng @tieu-de"),
        ("@tieu-de A\n@tieu-de B", "Dòng 2: lệnh @tieu-de chỉ được dùng một lần"),
        ("@tieu-de A\n@bang-so-theo-doi", "Dòng 2: bảng @bang-so-theo-doi không dùng được"),
        ("@tieu-de A\n@cho-trong 50", "Dòng 2: @cho-trong cần một số dòng từ 1 đến 20"),
        ("@tieu-de A\n@chu-ky ; (Ký)", "Dòng 2: @chu-ky cần chức danh"),
        ("@tieu-de A\n@ma-qr thêm", "Dòng 2: lệnh @ma-qr không nhận nội dung"),
        ("@tieu-de A\nLý do: {{ refusal.reason }}", "Dòng 2: trường «refusal.reason» không có"),
        ("@tieu-de A\n@noi-nhan Sở Nội vụ", "Có @noi-nhan nhưng không có @ky"),
        ("@tieu-de A\n@neu dossier.nothing x", "Dòng 2: @neu cần tên một trường"),
    ],
)
def test_a_broken_template_is_refused_with_the_line(text, message):
    with pytest.raises(markup.TemplateError) as info:
        markup.parse(text, FormCode.RECEIPT)
    assert any(message in m for m in info.value.messages), info.value.messages


def test_every_problem_is_reported_at_once():
    with pytest.raises(markup.TemplateError) as info:
        markup.parse("{{ a.b }}\n@x\n{{ c.d }}", FormCode.RECEIPT)
    assert [m.split(":")[0] for m in info.value.messages] == [
        "Dòng 1",
        "Dòng 2",
        "Dòng 3",
        "Mẫu thiếu dòng @tieu-de (tên biểu mẫu).",
    ]


def test_every_default_template_is_valid_and_loaded():
    assert set(templates_store.default_files()) == {(r, f, 1) for (r, f) in SPECS}
    for (_regime, form, _version), (_day, text) in templates_store.default_files().items():
        markup.parse(text, form)
    assert FormTemplate.objects.filter(agency=None, province=None).count() == 13  # the data migration


def test_the_agencys_variant_prints_over_the_provinces_over_the_default(nd118_dossier, agency, other_agency, make_user):
    admin = make_user("quantri", agency, "admin")
    text = text_of(services.dossier_docx(nd118_dossier, FormCode.RECEIPT))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    default = templates_store.version_for(Regime.ND118, FormCode.RECEIPT, nd118_dossier.received_on)
    province_text = GOOD.replace("GIẤY BIÊN NHẬN", "MẪU CỦA TỈNH")
    FormTemplate.objects.create(province=agency.province, regime=Regime.ND118, form=FormCode.RECEIPT, version=1,
                                valid_from=default.valid_from, text=province_text)  # fmt: skip
    assert "MẪU CỦA TỈNH" in text_of(services.dossier_docx(nd118_dossier, FormCode.RECEIPT))
    row = templates_store.save_variant(agency, Regime.ND118, FormCode.RECEIPT, 1, GOOD, actor=admin, note="Bản của Sở")
    text = text_of(services.dossier_docx(nd118_dossier, FormCode.RECEIPT))
    assert "GIẤY BIÊN NHẬN" in text and f"Mã hồ sơ: {nd118_dossier.code}" in text
    assert "Người nộp: Bệnh viện Đa khoa tỉnh Quảng Trị" in text
    # Another agency of the province gets the province's form, not this agency's.
    assert templates_store.resolve(other_agency, Regime.ND118, FormCode.RECEIPT, dt.date(2025, 8, 4)).province_id
    # The old regime is untouched.
    assert templates_store.resolve(agency, Regime.ND61, FormCode.RECEIPT, dt.date(2024, 2, 5)).agency_id is None
    [created] = history(row)
    assert (created.action, created.actor, created.agency_id) == (AuditEntry.Action.CREATE, admin, agency.pk)
    templates_store.save_variant(agency, Regime.ND118, FormCode.RECEIPT, 1, GOOD + "Thêm dòng\n", actor=admin)
    assert history(row).first().action == AuditEntry.Action.UPDATE
    assert templates_store.reset_variant(agency, Regime.ND118, FormCode.RECEIPT, 1, actor=admin)
    assert "MẪU CỦA TỈNH" in text_of(services.dossier_docx(nd118_dossier, FormCode.RECEIPT))
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, object_id=str(row.pk)).exists()


def test_a_broken_variant_is_not_saved(agency, make_user):
    admin = make_user("quantri", agency, "admin")
    with pytest.raises(markup.TemplateError, match="Dòng 2"):
        templates_store.save_variant(agency, Regime.ND118, FormCode.RECEIPT, 1, "@tieu-de A\n{{ x }}", actor=admin)
    assert not FormTemplate.objects.filter(agency=agency).exists()


def test_a_later_version_applies_from_its_first_day_only(nd118_dossier, make_dossier):
    later = templates_store.version_for(Regime.ND118, FormCode.RECEIPT, dt.date(2025, 8, 4))
    FormTemplate.objects.create(regime=Regime.ND118, form=FormCode.RECEIPT, version=2, valid_from=dt.date(2025, 8, 5),
                                text=GOOD.replace("GIẤY BIÊN NHẬN", "PHIÊN BẢN HAI"))  # fmt: skip
    assert later.version == 1
    assert "PHIÊN BẢN HAI" not in text_of(services.dossier_docx(nd118_dossier, FormCode.RECEIPT))
    newer = make_dossier(dt.datetime(2025, 8, 6, 9, tzinfo=nd118_dossier.received_at.tzinfo))
    assert "PHIÊN BẢN HAI" in text_of(services.dossier_docx(newer, FormCode.RECEIPT))


def test_the_admin_refuses_a_broken_province_variant(agency):
    from cchc.dossierforms.admin import FormTemplateAdminForm

    data = {"regime": Regime.ND118, "form": FormCode.RECEIPT, "version": 1, "valid_from": "2025-07-01",
            "province": agency.province_id, "text": "@tieu-de A\n{{ dossier.kode }}"}  # fmt: skip
    form = FormTemplateAdminForm(data)
    assert not form.is_valid() and "Dòng 2" in form.errors["text"][0]
    form = FormTemplateAdminForm({**data, "text": GOOD})
    assert form.is_valid(), form.errors
