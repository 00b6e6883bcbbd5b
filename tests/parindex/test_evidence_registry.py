"""Evidence from the document registry: the outgoing documents of the year on the CCHC topics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cchc.documents.models import Direction, Document, DocumentKind
from cchc.parindex.evidence import ParamError, measure

pytestmark = pytest.mark.django_db
D = dt.date


def _doc(agency, kind, number, day, excerpt, direction=Direction.OUTGOING):
    return Document.objects.create(
        agency=agency,
        direction=direction,
        kind=kind,
        number=number,
        symbol=f"{kind}-{agency.code}",
        issue_date=day,
        year=day.year,
        excerpt=excerpt,
    )


@pytest.fixture
def registry(agency, other_agency):
    """Sở KH&CN's 2023: three documents on CCHC (one written "CCHC", one without diacritics), two on other things;
    around them, documents that must not count."""
    docs = {
        "plan": _doc(agency, DocumentKind.KE_HOACH, "151", D(2023, 1, 1), "Kế hoạch cải cách hành chính năm 2023"),
        "report": _doc(agency, DocumentKind.BAO_CAO, "20", D(2023, 3, 16), "Báo cáo công tác CCHC quý I năm 2023"),
        "decision": _doc(
            agency, DocumentKind.QUYET_DINH, "88", D(2023, 12, 31), "Kiện toàn tổ giúp việc về cai cach hanh chinh"
        ),
        "other": _doc(agency, DocumentKind.KE_HOACH, "30", D(2023, 5, 2), "Kế hoạch phòng, chống thiên tai"),
        "letter": _doc(agency, DocumentKind.CONG_VAN, "1200", D(2023, 7, 7), "V/v cử cán bộ dự tập huấn"),
    }
    _doc(agency, DocumentKind.KE_HOACH, "140", D(2022, 12, 31), "Kế hoạch cải cách hành chính năm 2022")
    _doc(agency, DocumentKind.BAO_CAO, "1", D(2024, 1, 1), "Báo cáo công tác CCHC năm 2023")
    _doc(
        agency,
        DocumentKind.QUYET_DINH,
        "99",
        D(2023, 2, 2),
        "Quyết định về cải cách hành chính của UBND tỉnh",
        direction=Direction.INCOMING,
    )
    _doc(other_agency, DocumentKind.KE_HOACH, "5", D(2023, 1, 5), "Kế hoạch cải cách hành chính năm 2023")
    return docs


def test_documents_on_cchc_are_counted_with_their_pages(agency, registry):
    m = measure("cchc_documents_issued", agency, 2023)
    assert (m.kind, m.value) == ("count", 3)
    assert m.explanation == "Năm 2023 ban hành 3 văn bản về công tác cải cách hành chính (trên 5 văn bản đi)."
    assert [s.pk for s in m.sources] == [registry["plan"].pk, registry["report"].pk, registry["decision"].pk]
    assert m.sources[0].url == reverse("documents:detail", args=[registry["plan"].pk])
    assert m.sources[0].label == "Kế hoạch số 151/KH-SKHCN ngày 01/01/2023: Kế hoạch cải cách hành chính năm 2023"
    assert ("Báo cáo", "1") in m.figures and ("Văn bản về CCHC", "3") in m.figures


def test_kinds_and_keywords_narrow_the_count(agency, registry):
    assert measure("cchc_documents_issued", agency, 2023, {"kinds": ["KH", "QĐ"]}).value == 2
    assert measure("cchc_documents_issued", agency, 2023, {"keywords": ["thiên tai"]}).value == 1
    with pytest.raises(ParamError):
        measure("cchc_documents_issued", agency, 2023, {"kinds": ["XYZ"]})
    with pytest.raises(ParamError):
        measure("cchc_documents_issued", agency, 2023, {"keywords": []})


def test_no_document_on_the_topic_is_zero_and_an_empty_registry_is_no_data(agency, other_agency, registry):
    none = measure("cchc_documents_issued", agency, 2023, {"keywords": ["chuyển đổi số"]})
    assert none.value == 0 and none.sources == ()
    empty = measure("cchc_documents_issued", agency, 2021)
    assert empty.value is None and empty.explanation.startswith("Chưa có dữ liệu: sổ văn bản của Sở Khoa học")
    assert measure("cchc_documents_issued", other_agency, 2023).value == 1


def test_counting_documents_costs_one_query(agency, django_assert_max_num_queries):
    for n in range(50):
        _doc(agency, DocumentKind.CONG_VAN, str(n + 1), D(2023, 4, 1), f"Triển khai nhiệm vụ CCHC đợt {n + 1}")
    with django_assert_max_num_queries(1):
        m = measure("cchc_documents_issued", agency, 2023)
    assert m.value == 50 and len(m.sources) == 30 and ("Liệt kê", "30 văn bản đầu tiên") in m.figures
