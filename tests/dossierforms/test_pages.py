"""The pages: the dossier page's "In biểu mẫu" menu and its downloads, scoped to the dossier's agency; the Sổ theo
dõi page; the template pages (only the agency's admin edits; errors with their line; preview; reset)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from cchc.audit.models import AuditEntry
from cchc.dossierforms.catalogue import FormCode
from cchc.dossierforms.models import FormTemplate
from cchc.dossiers.models import Regime

from .test_forms import text_of, with_event

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_url(dossier, form, fmt="docx"):
    return reverse("dossierforms:dossier_form", args=[dossier.pk, form, fmt])


def test_dossier_page_offers_the_forms_of_its_state(nd118_dossier, officer, unit):
    client = client_for(officer)
    page = client.get(reverse("dossiers:detail", args=[nd118_dossier.pk])).content.decode()
    assert "In biểu mẫu" in page
    assert (
        form_url(nd118_dossier, FormCode.RECEIPT) in page and form_url(nd118_dossier, FormCode.CONTROL, "pdf") in page
    )
    assert form_url(nd118_dossier, FormCode.APOLOGY) not in page
    with_event(nd118_dossier, FormCode.APOLOGY, officer, unit)
    page = client.get(reverse("dossiers:detail", args=[nd118_dossier.pk])).content.decode()
    assert form_url(nd118_dossier, FormCode.APOLOGY) in page


def test_receipt_download_is_named_after_the_code(nd118_dossier, viewer):
    response = client_for(viewer).get(form_url(nd118_dossier, FormCode.RECEIPT))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="giay-tiep-nhan-{nd118_dossier.code}.docx"'
    assert nd118_dossier.code in text_of(response.content)
    assert len(Document(io.BytesIO(response.content)).inline_shapes) == 1


def test_another_agencys_dossier_is_not_found(nd118_dossier, make_user, other_agency, foreign_agency):
    for user in (make_user("snv", other_agency, "officer"), make_user("tonghop", other_agency, "aggregator"),
                 make_user("caobang", foreign_agency, "admin")):  # fmt: skip
        assert client_for(user).get(form_url(nd118_dossier, FormCode.RECEIPT)).status_code == 404
        assert client_for(user).get(reverse("dossiers:detail", args=[nd118_dossier.pk])).content.count(b"In bi") == 0


def test_a_form_that_does_not_apply_goes_back_with_the_reason(nd61_dossier, officer):
    response = client_for(officer).get(form_url(nd61_dossier, FormCode.STOP), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dossiers:detail", args=[nd61_dossier.pk])
    assert "không có mẫu thông báo dừng" in response.content.decode()
    assert client_for(officer).get(form_url(nd61_dossier, FormCode.RECEIPT, "odt")).status_code == 404


def test_register_page_and_download(nd118_dossier, officer):
    client = client_for(officer)
    page = client.get(reverse("dossierforms:register"))
    assert page.status_code == 200 and "Sổ theo dõi hồ sơ" in page.content.decode()
    response = client.get(reverse("dossierforms:register"), {"tu_ngay": "2025-08-01", "den_ngay": "2025-08-31",
                                                             "dinh_dang": "docx"})  # fmt: skip
    assert response["Content-Disposition"] == 'attachment; filename="so-theo-doi-20250801-20250831.docx"'
    assert nd118_dossier.code in text_of(response.content)
    bad = client.get(reverse("dossierforms:register"), {"tu_ngay": "2025-08-31", "den_ngay": "2025-08-01",
                                                        "dinh_dang": "docx"})  # fmt: skip
    assert bad.status_code == 200 and "Ngày cuối kỳ phải từ ngày đầu kỳ trở đi" in bad.content.decode()


def edit_url(regime=Regime.ND118, form=FormCode.RECEIPT):
    return reverse("dossierforms:template_edit", args=[regime, form])


def test_template_pages_for_a_reader(nd118_dossier, officer):
    client = client_for(officer)
    listing = client.get(reverse("dossierforms:templates")).content.decode()
    assert listing.count('data-form="') == 13 and "Mẫu mặc định" in listing
    page = client.get(edit_url()).content.decode()
    assert "Chỉ quản trị cơ quan được sửa biểu mẫu" in page
    assert nd118_dossier.code in page  # the preview is filled from the agency's newest dossier
    assert client.post(edit_url(), {"text": "@tieu-de X", "save": "1"}).status_code == 403
    assert not FormTemplate.objects.filter(agency__isnull=False).exists()


def test_admin_edits_previews_and_resets_the_agencys_form(nd118_dossier, agency, make_user):
    client = client_for(make_user("quantri", agency, "admin"))
    broken = client.post(edit_url(), {"text": "@tieu-de GIẤY BIÊN NHẬN\nNgười nộp: {{ applicant.ten }}", "save": "1"})
    assert broken.status_code == 200
    assert "Dòng 2: trường «applicant.ten» không có trong biểu mẫu này" in broken.content.decode()
    assert "{{ applicant.ten }}" in broken.content.decode()  # what was typed is kept
    assert not FormTemplate.objects.filter(agency=agency).exists()
    text = "@tieu-de GIẤY BIÊN NHẬN\nNgười nộp: {{ applicant.name }}"
    preview = client.post(edit_url(), {"text": text, "preview": "1"}).content.decode()
    assert "GIẤY BIÊN NHẬN" in preview and "Người nộp: Bệnh viện Đa khoa tỉnh Quảng Trị" in preview
    assert not FormTemplate.objects.filter(agency=agency).exists()
    docx = client.post(edit_url(), {"text": text, "docx": "1"})
    assert "GIẤY BIÊN NHẬN" in text_of(docx.content)
    assert client.post(edit_url(), {"text": text, "note": "Bản của Sở", "save": "1"}).status_code == 302
    assert "GIẤY BIÊN NHẬN" in text_of(client.get(form_url(nd118_dossier, FormCode.RECEIPT)).content)
    assert "Mẫu của cơ quan" in client.get(reverse("dossierforms:templates")).content.decode()
    assert client.post(edit_url(), {"reset": "1"}).status_code == 302
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in text_of(client.get(form_url(nd118_dossier, FormCode.RECEIPT)).content)
    assert list(AuditEntry.objects.filter(agency=agency, content_type__model="formtemplate").values_list(
        "action", flat=True).order_by("pk")) == ["create", "delete"]  # fmt: skip


def test_unknown_form_or_regime_page_is_not_found(officer):
    assert client_for(officer).get(edit_url(Regime.ND61, FormCode.STOP)).status_code == 404
    assert client_for(officer).get(edit_url("nd1", FormCode.RECEIPT)).status_code == 404
