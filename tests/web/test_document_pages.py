"""The document registry pages: list and search, issuing with an allocated number, registering an incoming document,
the file served only to those who may read it, and the reference finder matched against the registry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.audit.models import AuditEntry
from cchc.audit.service import history
from cchc.documents.models import Direction, Document, DocumentKind, Register
from cchc.documents.numbering import issue_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def outgoing(agency):
    return Register.objects.create(agency=agency, name="Sổ văn bản đi", direction=Direction.OUTGOING)


@pytest.fixture
def incoming_register(agency):
    return Register.objects.create(agency=agency, name="Sổ văn bản đến", direction=Direction.INCOMING)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def foreign_document(other_agency, make_user):
    register = Register.objects.create(agency=other_agency, name="Sổ đi", direction=Direction.OUTGOING)
    actor = make_user("snv", other_agency, "officer")
    return issue_document(
        register=register,
        kind=DocumentKind.KE_HOACH,
        excerpt="Kế hoạch của Sở Nội vụ",
        issue_date=dt.date(2023, 2, 1),
        actor=actor,
        file=SimpleUploadedFile("snv.pdf", b"%PDF-1.4 noi vu"),
    )


def issue_form(register, **overrides) -> dict:
    data = {
        "register": register.pk,
        "kind": DocumentKind.KE_HOACH,
        "excerpt": "Cải cách hành chính năm 2023",
        "issue_date": "2023-01-05",
        "signer_name": "Nguyễn Văn A",
        "signing_form": "KT.",
    }
    return {**data, **overrides}


def test_issue_allocates_increasing_numbers_and_audits(officer_client, outgoing):
    first = officer_client.post(reverse("documents:issue"), issue_form(outgoing))
    second = officer_client.post(reverse("documents:issue"), issue_form(outgoing, kind=DocumentKind.BAO_CAO))
    assert first.status_code == second.status_code == 302
    one, two = Document.objects.order_by("pk")
    assert (one.number_symbol, two.number_symbol) == ("01/KH-SKHCN", "02/BC-SKHCN")
    assert history(one).filter(action=AuditEntry.Action.CREATE).exists()
    page = officer_client.get(second["Location"])
    assert "02/BC-SKHCN" in page.text  # the allocated number is shown
    assert "Đã cấp số 02/BC-SKHCN cho văn bản." in page.text


def test_issue_refuses_missing_excerpt_without_taking_a_number(officer_client, outgoing):
    response = officer_client.post(reverse("documents:issue"), issue_form(outgoing, excerpt="  "))
    assert response.status_code == 200
    assert "Vui lòng nhập trích yếu văn bản." in response.text
    assert not Document.objects.exists()
    assert officer_client.post(reverse("documents:issue"), issue_form(outgoing)).status_code == 302
    assert Document.objects.get().number == "01"


def test_register_incoming_takes_the_arrival_number(officer_client, incoming_register):
    response = officer_client.post(
        reverse("documents:incoming"),
        {
            "register": incoming_register.pk,
            "kind": DocumentKind.QUYET_DINH,
            "number_symbol": "24/QĐ-UBND",
            "issue_date": "2023-01-10",
            "issuing_body": "UBND tỉnh Quảng Trị",
            "excerpt": "Ban hành Kế hoạch cải cách hành chính năm 2023",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.direction, document.number, document.symbol) == (Direction.INCOMING, "24", "QĐ-UBND")
    assert document.numeric_number == 1
    assert history(document).filter(action=AuditEntry.Action.CREATE).exists()


@pytest.mark.parametrize(
    "text,number,symbol",
    [("60/2021/NĐ-CP", "60/2021", "NĐ-CP"), ("12-NQ/TU", "12", "NQ/TU"), ("2130/SKHCN-QLĐLCL", "2130", "SKHCN-QLĐLCL")],
)
def test_incoming_number_symbol_shapes(officer_client, text, number, symbol):
    response = officer_client.post(
        reverse("documents:incoming"),
        {
            "kind": DocumentKind.OTHER,
            "number_symbol": text,
            "issue_date": "2021-06-01",
            "issuing_body": "Chính phủ",
            "excerpt": "Văn bản",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.number, document.symbol, document.number_symbol) == (number, symbol, text)


def test_incoming_refuses_a_malformed_number(officer_client):
    response = officer_client.post(
        reverse("documents:incoming"),
        {
            "kind": DocumentKind.OTHER,
            "number_symbol": "KH không số",
            "issue_date": "2023-01-10",
            "issuing_body": "UBND",
            "excerpt": "X",
        },
    )
    assert response.status_code == 200 and "Số, ký hiệu không đúng dạng" in response.text
    assert not Document.objects.exists()


def test_list_filters_and_searches_without_diacritics(officer_client, outgoing, officer, foreign_document):
    issue_document(
        register=outgoing,
        kind=DocumentKind.KE_HOACH,
        excerpt="Kế hoạch cải cách hành chính",
        issue_date=dt.date(2023, 1, 5),
        actor=officer,
    )
    issue_document(
        register=outgoing,
        kind=DocumentKind.BAO_CAO,
        excerpt="Báo cáo quý I",
        issue_date=dt.date(2023, 3, 25),
        actor=officer,
    )
    page = officer_client.get(reverse("documents:list"))
    assert page.status_code == 200
    assert "01/KH-SKHCN" in page.text and "02/BC-SKHCN" in page.text
    assert "Kế hoạch của Sở Nội vụ" not in page.text
    found = officer_client.get(reverse("documents:list"), {"q": "cai cach hanh chinh"})
    assert "01/KH-SKHCN" in found.text and "02/BC-SKHCN" not in found.text
    by_symbol = officer_client.get(reverse("documents:list"), {"q": "02/bc-skhcn"})
    assert "02/BC-SKHCN" in by_symbol.text and "01/KH-SKHCN" not in by_symbol.text
    by_kind = officer_client.get(reverse("documents:list"), {"kind": DocumentKind.BAO_CAO, "year": 2023})
    assert "02/BC-SKHCN" in by_kind.text and "01/KH-SKHCN" not in by_kind.text
    by_direction = officer_client.get(reverse("documents:list"), {"direction": Direction.INCOMING})
    assert 'data-count="0"' in by_direction.text


def test_list_is_paginated(officer_client, agency):
    Document.objects.bulk_create(
        Document(agency=agency, kind=DocumentKind.CONG_VAN, number=str(n), symbol="SKHCN-VP", excerpt=f"CV {n}")
        for n in range(1, 56)
    )
    first = officer_client.get(reverse("documents:list"))
    assert first.text.count("<tr data-document=") == 50 and "trang=2" in first.text
    second = officer_client.get(reverse("documents:list"), {"trang": 2})
    assert second.text.count("<tr data-document=") == 5


def test_file_download_is_checked(client, officer, viewer, outgoing, foreign_document):
    document = issue_document(
        register=outgoing,
        kind=DocumentKind.KE_HOACH,
        excerpt="Kế hoạch",
        issue_date=dt.date(2023, 1, 5),
        actor=officer,
        file=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 ke hoach"),
    )
    url = reverse("documents:download", args=[document.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 ke hoach"
    assert "attachment" in response["Content-Disposition"]
    assert client.get(reverse("documents:download", args=[foreign_document.pk])).status_code == 404


def test_another_agencys_document_is_404(officer_client, foreign_document):
    assert officer_client.get(reverse("documents:detail", args=[foreign_document.pk])).status_code == 404


def test_viewer_gets_403_on_issue_and_incoming(client, viewer, outgoing):
    client.force_login(viewer)
    assert client.post(reverse("documents:issue"), issue_form(outgoing)).status_code == 403
    assert client.get(reverse("documents:incoming")).status_code == 403
    assert not Document.objects.exists()


def test_references_page_finds_and_matches(officer_client, outgoing, officer, foreign_document):
    issue_document(
        register=outgoing,
        kind=DocumentKind.KE_HOACH,
        excerpt="Cải cách hành chính năm 2023",
        issue_date=dt.date(2023, 1, 5),
        actor=officer,
    )
    text = (
        "Thực hiện Kế hoạch số 1/KH-SKHCN ngày 05/01/2023 của Sở Khoa học và Công nghệ và "
        "Quyết định số 24/QĐ-UBND ngày 10/01/2023 của UBND tỉnh; Kế hoạch số 01/KH-SNV của Sở Nội vụ."
    )
    response = officer_client.post(reverse("documents:references"), {"text": text})
    assert response.status_code == 200
    rows = response.text[response.text.index('id="reference-table"') :]
    own = rows[rows.index('data-reference="1/KH-SKHCN"') :]
    assert own.index('data-match="yes"') < own.index("</tr>")
    other = rows[rows.index('data-reference="24/QĐ-UBND"') :]
    assert other.index('data-match="no"') < other.index("</tr>")
    foreign = rows[rows.index('data-reference="01/KH-SNV"') :]
    assert foreign.index('data-match="no"') < foreign.index("</tr>")  # another agency's registry does not count


def test_references_page_needs_text(officer_client):
    response = officer_client.post(reverse("documents:references"), {"text": ""})
    assert "Vui lòng dán đoạn văn bản cần tìm." in response.text
