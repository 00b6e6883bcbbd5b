"""Incoming documents and matching references against the registry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cchc.audit.service import history
from cchc.documents.models import Direction, Document, Register
from cchc.documents.references import find_references
from cchc.documents.services import match_references, register_incoming, search_documents


@pytest.fixture
def incoming_register(agency):
    return Register.objects.create(agency=agency, name="Sổ văn bản đến", direction=Direction.INCOMING)


def test_earlier_arrivals_are_numbered_in_their_own_year(agency, officer, incoming_register):
    late_2022 = register_incoming(
        agency, actor=officer, kind="QĐ", number="2968", symbol="QĐ-UBND", issue_date=dt.date(2022, 12, 16),
        issuing_body="UBND tỉnh", excerpt="Ban hành Kế hoạch CCHC năm 2023", register=incoming_register,
        received_on=dt.date(2022, 12, 31),
    )  # fmt: skip
    early_2023 = register_incoming(
        agency, actor=officer, kind="CT", number="07", symbol="CT-UBND", issue_date=dt.date(2023, 1, 3),
        issuing_body="UBND tỉnh", excerpt="Nâng cao hiệu quả CCHC", register=incoming_register,
        received_on=dt.date(2023, 1, 4),
    )  # fmt: skip
    assert (late_2022.year, late_2022.numeric_number) == (2022, 1)
    assert (early_2023.year, early_2023.numeric_number) == (2023, 1)
    assert history(late_2022).filter(action="create").exists()


def test_incoming_goes_only_into_an_incoming_register_of_the_agency(agency, other_agency, officer):
    outgoing = Register.objects.create(agency=agency, name="Sổ văn bản đi", direction=Direction.OUTGOING)
    foreign = Register.objects.create(agency=other_agency, name="Sổ văn bản đến", direction=Direction.INCOMING)
    for register in (outgoing, foreign):
        with pytest.raises(ValidationError):
            register_incoming(
                agency, actor=officer, kind="QĐ", number="1", symbol="QĐ-UBND", issue_date=dt.date(2023, 1, 3),
                issuing_body="UBND tỉnh", excerpt="x", register=register,
            )  # fmt: skip


def test_references_match_registered_documents_ignoring_zero_padding(agency, officer):
    document = register_incoming(
        agency, actor=officer, kind="KH", number="6", symbol="KH-SKHCN", issue_date=dt.date(2023, 1, 5),
        issuing_body="Sở Khoa học và Công nghệ", excerpt="Tuyên truyền CCHC năm 2023",
    )  # fmt: skip
    refs = find_references("Thực hiện Kế hoạch số 06/KH-SKHCN ngày 05/01/2023 và Quyết định số 24/QĐ-UBND.")
    matched = match_references(refs, Document.objects.filter(agency=agency))
    assert [(ref.number, doc) for ref, doc in matched] == [("06", document), ("24", None)]
    assert list(search_documents(Document.objects.all(), "tuyen truyen cchc")) == [document]
