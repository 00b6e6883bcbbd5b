"""The roll-up across the 2025 change of the map, and the columns a report gives only in parts.

Old units fold into their successors' rows when they ended inside the period (figures added and named, dates in
the note, no report expected of them); a unit that started inside the period is shown for its part; a unit that
ended before the period is not shown. "Trước hạn, đúng hạn" is added up from "trước hạn" and "đúng hạn" given
separately, and "đã giải quyết" from its parts only when the report gives no total, each cell saying so."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from cchc.agencies.models import Agency, Province
from cchc.aggregation.models import ReportedFigure
from cchc.aggregation.rollup import COMPUTED, REPORTED, derive, rollup_table
from cchc.aggregation.submissions import missing_and_late
from cchc.statistics.periods import parse_period

pytestmark = pytest.mark.django_db

D = dt.date
MERGED = D(2025, 6, 30)  # the last day of the old provinces and departments
Y2024, Y2025 = parse_period("2024"), parse_period("2025")


def _figures(agency, key: str, values: dict, sha: str = "a" * 64) -> None:
    period = parse_period(key)
    for name, value in values.items():
        ReportedFigure.objects.create(
            agency=agency, period_key=period.key, period_start=period.start, period_end=period.end, key=name,
            value=Decimal(value), source_sha256=sha,
        )  # fmt: skip


@pytest.fixture
def merged(province, agency, justice, home_affairs):
    """Quảng Bình merged into Quảng Trị on 01/07/2025; the Sở TT&TT Quảng Trị into the Sở KH&CN; a new Sở Dân tộc
    và Tôn giáo from 01/03/2025; a Ban that ended on 30/06/2024, with no successor."""
    old_province = Province.objects.create(code="H44", name="Quảng Bình", valid_to=MERGED, successor=province)
    information = Agency.objects.create(province=province, code="STTTT", name="Sở Thông tin và Truyền thông",
                                        valid_to=MERGED, successor=agency)  # fmt: skip
    old_science = Agency.objects.create(province=old_province, code="SKHCN", name="Sở Khoa học và Công nghệ Quảng Bình",
                                        valid_to=MERGED, successor=agency)  # fmt: skip
    ethnic = Agency.objects.create(province=province, code="SDTTG", name="Sở Dân tộc và Tôn giáo",
                                   valid_from=D(2025, 3, 1))  # fmt: skip
    gone = Agency.objects.create(province=province, code="BQL", name="Ban Quản lý dự án cũ", valid_to=D(2024, 6, 30))
    return {"information": information, "old_science": old_science, "ethnic": ethnic, "gone": gone}


def test_units_that_ended_during_the_period_fold_into_their_successor_with_their_figures_named(
    merged, agency, justice, home_affairs
):
    _figures(agency, "2025", {"dossiers_received": 30, "dossiers_resolved": 27, "dossiers_early_or_on_time": 25})
    _figures(merged["information"], "2025", {"dossiers_received": 12, "dossiers_early": 5, "dossiers_on_time": 4,
                                             "dossiers_late": 1})  # fmt: skip
    _figures(merged["old_science"], "2025", {"dossiers_received": 8})
    table = rollup_table(home_affairs, Y2025, today=D(2026, 1, 10))
    rows = {row.agency.code + (row.agency.province.code if row.agency.province else ""): row for row in table.rows}
    assert sorted(rows) == ["SDTTGH45", "SKHCNH45", "STPH45"]  # the old units have no row; the 2024 Ban none

    science = rows["SKHCNH45"]
    assert sorted(old.name for old in science.predecessors) == ["Sở Khoa học và Công nghệ Quảng Bình",
                                                                "Sở Thông tin và Truyền thông"]  # fmt: skip
    assert science.cells["dossiers_received"].value == 30 + 12 + 8
    assert science.cells["dossiers_early_or_on_time"].value == 25 + 5 + 4
    assert science.cells["dossiers_resolved"].value == 27 + 5 + 4 + 1
    received_note = science.cells["dossiers_received"].note
    assert "Sở Khoa học và Công nghệ: 30" in received_note
    assert "Sở Thông tin và Truyền thông (đến 30/06/2025): 12" in received_note
    assert "Sở Khoa học và Công nghệ Quảng Bình (đến 30/06/2025): 8" in received_note
    assert "= trước hạn 5 + đúng hạn 4 (báo cáo nêu riêng)" in science.cells["dossiers_early_or_on_time"].note
    assert any("Cộng cả số liệu của Sở Thông tin và Truyền thông (hoạt động đến 30/06/2025; từ 01/07/2025 do Sở Khoa "
               "học và Công nghệ kế thừa)" in note for note in science.notes)  # fmt: skip
    assert table.totals["dossiers_received"] == 50  # each unit once
    assert any("Hoạt động từ 01/03/2025" in note for note in rows["SDTTGH45"].notes)

    # The old units send no report of their own for 2025: only the rows' members can be missing.
    assert sorted(a.code for a in table.missing) == ["SDTTG", "SKHCN", "STP"]
    assert sorted(a.code for a in missing_and_late(home_affairs, Y2025).missing) == ["SDTTG", "SKHCN", "STP"]


def test_before_the_change_every_unit_has_its_own_row_and_the_new_one_none(merged, agency, justice, home_affairs):
    _figures(merged["old_science"], "2024", {"dossiers_received": 7})
    table = rollup_table(home_affairs, Y2024, today=D(2025, 1, 10))
    rows = {row.agency.name: row for row in table.rows}
    assert sorted(rows) == ["Ban Quản lý dự án cũ", "Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ Quảng Bình",
                            "Sở Thông tin và Truyền thông", "Sở Tư pháp"]  # fmt: skip
    # The Ban ended inside 2024 without a successor: its own row says when.
    assert rows.pop("Ban Quản lý dự án cũ").notes == ["Hoạt động đến 30/06/2024."]
    assert all(not row.notes and not row.predecessors for row in rows.values())
    assert table.spans_provinces  # the names say their province


def test_the_aggregator_of_the_merged_province_reads_the_old_provinces_units_on_its_page(
    client, merged, agency, home_affairs, make_user, foreign_agency
):
    _figures(merged["old_science"], "2024", {"dossiers_received": 7})
    client.force_login(get_user_model().objects.get(username="tonghop"))
    html = client.get(reverse("rollup:table"), {"ky": "2024"}).content.decode()
    assert "Sở Khoa học và Công nghệ Quảng Bình" in html
    folded = client.get(reverse("rollup:table"), {"ky": "2025"}).content.decode()
    assert 'data-agency="STTTT"' not in folded and "Cộng cả số liệu của Sở Thông tin và Truyền thông" in folded
    # Another province's aggregator sees none of it.
    client.force_login(make_user("tonghop-cb", foreign_agency, "aggregator"))
    assert "Quảng Bình" not in client.get(reverse("rollup:table"), {"ky": "2024"}).content.decode()


def test_a_column_given_in_parts_is_added_up_and_says_so():
    values, notes = derive(
        {"dossiers_early": Decimal(1200), "dossiers_on_time": Decimal(35), "dossiers_late": Decimal(2)}
    )
    assert values["dossiers_early_or_on_time"] == 1235 and values["dossiers_resolved"] == 1237
    assert notes["dossiers_early_or_on_time"] == "= trước hạn 1.200 + đúng hạn 35 (báo cáo nêu riêng)"
    assert notes["dossiers_resolved"] == "= trước hạn, đúng hạn 1.235 + quá hạn 2 (báo cáo không nêu tổng)"
    # A total the report gives is never replaced; one part alone adds nothing (precision first).
    values, notes = derive(
        {
            "dossiers_resolved": Decimal(100),
            "dossiers_early_or_on_time": Decimal(90),
            "dossiers_early": Decimal(50),
            "dossiers_on_time": Decimal(30),
            "dossiers_late": Decimal(3),
        }
    )
    assert (values["dossiers_resolved"], values["dossiers_early_or_on_time"], notes) == (100, 90, {})
    values, notes = derive({"dossiers_on_time": Decimal(30), "dossiers_late": Decimal(3)})
    assert "dossiers_early_or_on_time" not in values and "dossiers_resolved" not in values and notes == {}


def test_the_table_and_its_excel_show_the_added_up_cells_with_their_note(client, home_affairs, justice, agency,
                                                                         procedure):  # fmt: skip
    from cchc.dossiers.models import Dossier

    # Sở KH&CN uses cchc: its cells are computed, its own report's parts are not added to them.
    received = dt.datetime(2023, 1, 5, 9, tzinfo=dt.UTC)
    Dossier.objects.create(agency=agency, procedure=procedure, code="A1", applicant_name="Chủ hồ sơ", channel=1,
                           received_at=received, received_on=received.date(), due_at=received + dt.timedelta(days=9),
                           due_date=D(2023, 1, 14), status="resolved", ended_at=received + dt.timedelta(days=2),
                           ended_on=D(2023, 1, 7), outcome="resolved")  # fmt: skip
    _figures(agency, "2023-Q1", {"dossiers_early": 40, "dossiers_on_time": 2})
    _figures(justice, "2023-Q1", {"dossiers_received": 300, "dossiers_early": 250, "dossiers_on_time": 30,
                                  "dossiers_late": 5})  # fmt: skip
    table = rollup_table(home_affairs, parse_period("2023-Q1"))
    rows = {row.agency.code: row for row in table.rows}
    assert rows["SKHCN"].cells["dossiers_early_or_on_time"].source == COMPUTED
    assert rows["SKHCN"].cells["dossiers_early_or_on_time"].value == 1
    assert rows["SKHCN"].cells["dossiers_early_or_on_time"].reported == Decimal(42)  # beside it, for comparison
    justice_cells = rows["STP"].cells
    assert justice_cells["dossiers_early_or_on_time"].source == REPORTED
    assert (justice_cells["dossiers_early_or_on_time"].value, justice_cells["dossiers_resolved"].value) == (280, 285)
    assert rows["STP"].rate("on_time") == round(100 * 280 / 285, 2)

    client.force_login(get_user_model().objects.get(username="tonghop"))
    html = client.get(reverse("rollup:table"), {"ky": "2023-Q1"}).content.decode()
    assert "= trước hạn 250 + đúng hạn 30 (báo cáo nêu riêng)" in html
    response = client.get(reverse("rollup:table"), {"ky": "2023-Q1", "tai": "xlsx"})
    values = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = values[2]
    justice_row = next(row for row in values[3:] if row[1] == "Sở Tư pháp")
    assert justice_row[header.index("Trước hạn, đúng hạn")] == 280
    assert "Trước hạn, đúng hạn: = trước hạn 250 + đúng hạn 30 (báo cáo nêu riêng)." in justice_row[header.index(
        "Ghi chú")]  # fmt: skip


def test_a_chain_of_successors_folds_into_the_last_one_and_a_successor_outside_the_table_is_named():
    from cchc.aggregation.succession import period_members

    aggregator = Agency(pk=1, name="Sở Nội vụ")
    last = Agency(pk=2, name="Sở Khoa học và Công nghệ")
    middle = Agency(pk=3, name="Sở Thông tin và Truyền thông", valid_to=D(2025, 8, 31), successor=last)
    first = Agency(pk=4, name="Trung tâm Công nghệ thông tin", valid_to=D(2025, 3, 31), successor=middle)
    outside = Agency(pk=5, name="Sở Giao thông vận tải")
    leaving = Agency(pk=6, name="Sở Xây dựng cũ", valid_to=D(2025, 6, 30), successor=outside)
    looped = Agency(pk=7, name="Ban A", valid_to=D(2025, 5, 31))
    looped_back = Agency(pk=8, name="Ban B", valid_to=D(2025, 5, 31), successor=looped)
    looped.successor = looped_back
    chosen = period_members(aggregator, Y2025, [aggregator, last, middle, first, leaving, looped, looped_back])
    assert {pk: target.pk for pk, target in chosen.folded.items()} == {3: 2, 4: 2}
    assert [m.pk for m in chosen.expected] == [2, 6, 7, 8]  # never the aggregator itself; a loop folds nothing
    assert [m.pk for m in chosen.predecessors_of(last)] == [3, 4]
    assert chosen.notes_for(leaving) == [
        "Hoạt động đến 30/06/2025. Cơ quan kế thừa (Sở Giao thông vận tải) không thuộc bảng tổng hợp này."
    ]
