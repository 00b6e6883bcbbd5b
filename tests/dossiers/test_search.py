"""The dossier list's search box: by code or applicant, ignoring case and Vietnamese diacritics ('đ' included)."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.dossiers import lifecycle
from cchc.dossiers.importer import import_dossiers
from cchc.dossiers.models import Channel, Dossier, fill_search_text, search_text_for
from cchc.procedures.models import Procedure


def local(year, month, day, hour=9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


@pytest.fixture
def receive(procedure, one_stop_staff):
    def make(name: str, code: str, *, agency=None, proc=None, actor=None, **fields) -> Dossier:
        return lifecycle.receive(
            agency=agency or procedure.agency,
            procedure=proc or procedure,
            applicant_name=name,
            channel=Channel.DIRECT,
            actor=actor or one_stop_staff,
            received_at=local(2024, 3, 4),
            code=code,
            **fields,
        )

    return make


def search(client, user, text: str) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("dossiers:list"), {"q": text})
    assert response.status_code == 200
    return sorted(d.code for d in response.context["page"].rows)


def test_a_name_typed_without_diacritics_finds_the_dossier(client, receive, one_stop_staff):
    receive("Nguyễn Văn An", "HS-1")
    receive("Nguyễn Văn Anh", "HS-2")
    receive("Trần Thị Bình", "HS-3")

    assert search(client, one_stop_staff, "nguyen van an") == ["HS-1", "HS-2"]
    assert search(client, one_stop_staff, "NGUYỄN  văn   ANH") == ["HS-2"]
    # Every word must match, in any order.
    assert search(client, one_stop_staff, "an nguyen") == ["HS-1", "HS-2"]
    assert search(client, one_stop_staff, "binh") == ["HS-3"]
    assert search(client, one_stop_staff, "nguyen binh") == []


def test_d_with_stroke_folds_to_d(client, receive, one_stop_staff):
    receive("Đặng Thị Đào", "HS-1")
    receive("Dương Văn Dũng", "HS-2")

    assert search(client, one_stop_staff, "dang") == ["HS-1"]
    assert search(client, one_stop_staff, "đặng đào") == ["HS-1"]
    assert search(client, one_stop_staff, "DAO") == ["HS-1"]


def test_code_and_identity_number_searches_still_work(client, receive, one_stop_staff):
    receive("Lê Văn Cường", "000.00.12.H45-240304-0001", applicant_id_number="045090001234")
    receive("Lê Văn Cường", "000.00.12.H45-240304-0002")

    # Exact code: only that dossier, even though the other one shares its prefix.
    assert search(client, one_stop_staff, "000.00.12.H45-240304-0001") == ["000.00.12.H45-240304-0001"]
    # Prefix or part of a code, in any case.
    assert search(client, one_stop_staff, "h45-240304") == ["000.00.12.H45-240304-0001", "000.00.12.H45-240304-0002"]
    assert search(client, one_stop_staff, "045090001234") == ["000.00.12.H45-240304-0001"]
    Dossier.objects.filter(code="000.00.12.H45-240304-0002").update(national_code="G22.99-240304-0042")
    Dossier.objects.get(code="000.00.12.H45-240304-0002").save()
    assert search(client, one_stop_staff, "G22.99-240304-0042") == ["000.00.12.H45-240304-0002"]
    assert search(client, one_stop_staff, "khong co ai") == []


def test_a_renamed_applicant_is_found_by_the_new_name_only(client, receive, one_stop_staff):
    dossier = receive("Phạm Văn Tý", "HS-1")
    dossier.applicant_name = "Phạm Văn Tèo"
    dossier.save(update_fields=["applicant_name"])

    assert search(client, one_stop_staff, "teo") == ["HS-1"]
    assert search(client, one_stop_staff, "ty") == []


def test_another_agencys_dossiers_never_appear(client, receive, agency, other_agency, field, one_stop_staff, make_user):
    other_procedure = Procedure.objects.create(
        agency=other_agency,
        code="2.000001",
        name="Thủ tục của Sở Nội vụ",
        field=field,
        processing_time=Decimal("5"),
        effective_from=dt.date(2020, 1, 1),
    )
    other_staff = make_user("motcua-snv", other_agency, "one_stop")
    receive("Nguyễn Văn An", "HS-1")
    receive("Nguyễn Văn An", "SNV-1", agency=other_agency, proc=other_procedure, actor=other_staff)

    assert search(client, one_stop_staff, "nguyen van an") == ["HS-1"]
    # Not even by its exact code.
    assert search(client, one_stop_staff, "SNV-1") == []
    assert search(client, other_staff, "nguyen van an") == ["SNV-1"]


def test_imported_dossiers_are_searchable_and_follow_a_corrected_name(
    tmp_path, client, agency, procedure, one_stop_staff
):
    def write(name: str) -> Path:
        path = tmp_path / "ho-so.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Mã hồ sơ", "Mã TTHC", "Chủ hồ sơ", "Số CCCD", "Ngày tiếp nhận"])
            writer.writerow(["IMP-1", procedure.code, name, "045090009999", "05/02/2024 09:00"])
            writer.writerow(["IMP-2", procedure.code, "Hoàng Thị Lan", "", "05/02/2024 10:00"])
        return path

    result = import_dossiers(write("Đỗ Đức Độ"), agency=agency, actor=one_stop_staff)
    assert result.created == 2, result.errors

    assert search(client, one_stop_staff, "do duc do") == ["IMP-1"]
    assert search(client, one_stop_staff, "hoang lan") == ["IMP-2"]

    # A re-import with the name corrected updates the search column too (bulk_update path).
    result = import_dossiers(write("Đỗ Đức Độ Quang"), agency=agency, actor=one_stop_staff)
    assert result.updated == 1, result.errors
    assert search(client, one_stop_staff, "do quang") == ["IMP-1"]


def test_the_migration_fill_folds_rows_written_before_the_column(receive):
    receive("Ngô Bảo Châu", "HS-1", applicant_id_number="001")
    receive("Bùi Thị Xuân", "HS-2")
    # Rows as they stood before the migration: the column empty.
    Dossier.objects.update(search_text="")

    assert fill_search_text(batch_size=1) == 2

    assert dict(Dossier.objects.values_list("code", "search_text")) == {
        "HS-1": "hs-1 ngo bao chau 001",
        "HS-2": "hs-2 bui thi xuan",
    }
    # A second run finds nothing left to fill.
    assert fill_search_text() == 0


def test_the_large_demo_set_is_searchable(db):
    from cchc.demo import build

    assert build.build_large(300, batch_size=100, now=timezone.make_aware(dt.datetime(2025, 6, 2, 12))) == 300

    rows = list(Dossier.objects.values_list("code", "applicant_name", "search_text"))
    assert len(rows) == 300
    assert all(text == search_text_for(code, name) for code, name, text in rows)
    assert all(text for _code, _name, text in rows)
