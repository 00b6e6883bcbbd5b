"""The document registry: numbers without gaps or duplicates, restarting each 1 January, safe under concurrency."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from cchc.audit.models import AuditEntry
from cchc.demo.ministry import SAMPLE_REPORTS
from cchc.documents.models import Direction, Document, DocumentKind, NumberCounter, Register, document_upload_to
from cchc.documents.numbering import allocate_number, format_number, full_symbol, issue_document
from cchc.documents.references import find_references


@pytest.fixture
def outgoing(agency):
    return Register.objects.create(agency=agency, name="Sổ văn bản đi", direction=Direction.OUTGOING)


@pytest.fixture
def leader(make_user, agency):
    return make_user("lanhdao", agency, "leader")


def issue(register, actor, day=dt.date(2023, 3, 1), kind=DocumentKind.KE_HOACH, **fields) -> Document:
    return issue_document(
        register=register, kind=kind, excerpt="Công tác cải cách hành chính năm 2023", issue_date=day, actor=actor,
        **fields,
    )


@pytest.mark.parametrize("n,text", [(1, "01"), (5, "05"), (9, "09"), (10, "10"), (136, "136"), (2550, "2550")])
def test_format_number_pads_below_ten(n, text):
    assert format_number(n) == text


def test_format_number_refuses_zero():
    with pytest.raises(ValueError):
        format_number(0)


@pytest.mark.parametrize(
    "kind,unit,symbol",
    [
        (DocumentKind.KE_HOACH, None, "KH-SKHCN"),
        (DocumentKind.BAO_CAO, None, "BC-SKHCN"),
        (DocumentKind.TO_TRINH, None, "TTr-SKHCN"),
        (DocumentKind.QUY_DINH, None, "QyĐ-SKHCN"),
        (DocumentKind.QUYET_DINH, "VP", "QĐ-SKHCN-VP"),
        (DocumentKind.CONG_VAN, "QLĐLCL", "SKHCN-QLĐLCL"),  # công văn: no type abbreviation
        (DocumentKind.CONG_VAN, None, "SKHCN"),
        ("TB", None, "TB-SKHCN"),
    ],
)
def test_full_symbol(kind, unit, symbol):
    assert full_symbol(kind, "SKHCN", unit) == symbol


def test_full_symbol_needs_the_agency_code():
    with pytest.raises(ValueError):
        full_symbol(DocumentKind.KE_HOACH, " ")


def test_symbols_read_back_by_the_parser():
    # What the registry writes, the reference parser reads with the same kind.
    for kind, unit in [(DocumentKind.KE_HOACH, None), (DocumentKind.CONG_VAN, "QLĐLCL"), (DocumentKind.TO_TRINH, None)]:
        (ref,) = find_references(f"theo {format_number(7)}/{full_symbol(kind, 'SKHCN', unit)} ngày 01/3/2023")
        assert DocumentKind.from_name(ref.kind) is kind


def test_numbers_are_sequential_per_register_and_year(agency, outgoing, officer):
    other = Register.objects.create(agency=agency, name="Sổ quyết định", direction=Direction.OUTGOING)
    assert [allocate_number(outgoing, 2023, actor=officer) for _ in range(3)] == [1, 2, 3]
    assert allocate_number(other, 2023, actor=officer) == 1
    assert allocate_number(outgoing, 2023, actor=officer) == 4


def test_numbers_restart_each_first_of_january(outgoing, officer):
    last_of_2023 = [issue(outgoing, officer, dt.date(2023, 12, 31)) for _ in range(2)]
    first_of_2024 = issue(outgoing, officer, dt.date(2024, 1, 1))
    assert [d.number for d in last_of_2023] == ["01", "02"]
    assert (first_of_2024.number, first_of_2024.year) == ("01", 2024)
    # A late 2023 document is still numbered in the 2023 sequence.
    assert issue(outgoing, officer, dt.date(2023, 12, 29)).number == "03"


def test_a_register_that_never_resets_continues_across_years(agency, officer):
    register = Register.objects.create(agency=agency, name="Sổ liên tục", resets_yearly=False)
    numbers = [issue(register, officer, dt.date(year, 6, 1)).numeric_number for year in (2023, 2023, 2024)]
    assert numbers == [1, 2, 3]


def test_issuing_allocates_and_creates_in_one_audited_step(agency, outgoing, officer):
    document = issue(outgoing, officer, signer_name="Trần Duy Tâm Thanh", signer_title="PHÓ GIÁM ĐỐC",
                     signing_form="KT.", digitally_signed=True)
    assert (document.number, document.numeric_number, document.symbol) == ("01", 1, "KH-SKHCN")
    assert document.number_symbol == "01/KH-SKHCN"
    assert str(document) == "Kế hoạch 01/KH-SKHCN"
    assert (document.agency, document.direction, document.created_by) == (agency, Direction.OUTGOING, officer)
    assert document.issuing_body == "Sở Khoa học và Công nghệ"
    entries = AuditEntry.objects.filter(agency=agency, actor=officer)
    assert set(entries.values_list("action", flat=True)) == {"allocate", "create"}
    created = entries.get(action="create")
    assert created.changes["number"] == [None, "01"] and created.changes["issue_date"] == [None, "2023-03-01"]


def test_a_failed_issue_leaves_no_gap(outgoing, officer):
    with pytest.raises(TypeError):
        issue(outgoing, officer, no_such_field="x")
    assert Document.objects.count() == 0
    assert issue(outgoing, officer).number == "01"


def test_a_viewer_cannot_issue(outgoing, viewer):
    with pytest.raises(PermissionDenied):
        issue(outgoing, viewer)
    assert not NumberCounter.objects.exists() and not Document.objects.exists()


def test_an_officer_of_another_agency_cannot_issue(outgoing, make_user, other_agency):
    stranger = make_user("nguoingoai", other_agency, "officer")
    with pytest.raises(PermissionDenied):
        issue(outgoing, stranger)
    assert not Document.objects.exists()


def test_numbers_come_only_from_outgoing_active_registers(agency, officer):
    incoming = Register.objects.create(agency=agency, name="Sổ văn bản đến", direction=Direction.INCOMING)
    with pytest.raises(ValidationError):
        issue(incoming, officer)
    closed = Register.objects.create(agency=agency, name="Sổ cũ", is_active=False)
    with pytest.raises(ValidationError):
        issue(closed, officer)


def test_an_excerpt_is_required(outgoing, officer):
    with pytest.raises(ValidationError):
        issue_document(register=outgoing, kind=DocumentKind.BAO_CAO, excerpt="  ", issue_date=dt.date(2023, 1, 5),
                       actor=officer)
    assert not NumberCounter.objects.exists()


def test_the_database_refuses_a_duplicate_number(agency, outgoing, officer):
    issue(outgoing, officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(agency=agency, register=outgoing, kind=DocumentKind.KE_HOACH, number="01",
                                numeric_number=1, year=2023, symbol="KH-SKHCN")
    # Documents registered without an allocated number (cited or received ones) do not collide.
    for _ in range(2):
        Document.objects.create(agency=agency, direction=Direction.INCOMING, kind=DocumentKind.NGHI_DINH,
                                number="60/2021", symbol="NĐ-CP", issuing_body="Chính phủ")
    assert Document.objects.count() == 3


def test_kind_from_a_parsed_reference():
    assert DocumentKind.from_name("Quyết định") is DocumentKind.QUYET_DINH
    assert DocumentKind.from_name("Công văn") is DocumentKind.CONG_VAN
    assert DocumentKind.from_name("Nghị định") is DocumentKind.NGHI_DINH
    assert DocumentKind.from_name("luật") is DocumentKind.LUAT
    assert DocumentKind.from_name("Sắc lệnh") is DocumentKind.OTHER
    assert DocumentKind.from_name(None) is DocumentKind.OTHER


def _kinds(paths) -> set[str]:
    return {r.kind for path in paths for r in find_references(path.read_text(encoding="utf-8"))}


def test_every_kind_in_the_corpus_has_a_registry_kind():
    root = Path(__file__).resolve().parents[2]
    kinds = _kinds([*(root / "tests" / "corpus" / "reports").glob("*.txt"), *SAMPLE_REPORTS.glob("*.txt")])
    assert {"Kế hoạch", "Quyết định", "Công văn", "Nghị quyết", "Nghị định", "Luật", "Báo cáo"} <= kinds
    assert all(DocumentKind.from_name(kind) is not DocumentKind.OTHER for kind in kinds), kinds


def test_every_kind_in_the_samples_has_a_registry_kind(shared_samples):
    kinds = _kinds(shared_samples.glob("*.txt"))
    assert kinds and all(DocumentKind.from_name(kind) is not DocumentKind.OTHER for kind in kinds), kinds


def test_files_are_stored_per_agency_and_year(agency, outgoing):
    document = Document(agency=agency, register=outgoing, kind=DocumentKind.BAO_CAO, year=2023)
    assert document_upload_to(document, "bao-cao-quy-1.pdf") == "documents/SKHCN/2023/bao-cao-quy-1.pdf"


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_get_every_number_once(agency, outgoing, officer, leader):
    """Six desks issue five documents each at the same moment, each thread with its own connection."""
    threads_count, per_thread = 6, 5
    start = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def desk(actor) -> None:
        try:
            start.wait(timeout=10)
            for _ in range(per_thread):
                issue(outgoing, actor, dt.date(2023, 5, 4))
        except BaseException as exc:  # noqa: B036 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=(officer if i % 2 else leader,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(Document.objects.filter(register=outgoing, year=2023).values_list("numeric_number", flat=True))
    assert numbers == list(range(1, threads_count * per_thread + 1))  # no gap, no duplicate
    assert NumberCounter.objects.get(register=outgoing, year=2023).last == threads_count * per_thread
