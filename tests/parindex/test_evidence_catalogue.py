"""Evidence from the TTHC catalogue: shares of the procedures in force on the last day of the statistics year
(14/12 under NĐ 09/2019, 31/12 in calendar mode) with a publishing decision, through the one-stop desk, online."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cchc.parindex.evidence import ParamError, measure
from cchc.procedures.models import Field, Procedure

pytestmark = pytest.mark.django_db
D = dt.date
LONG_AGO = D(2021, 1, 1)


def _procedure(agency, code, effective_from=LONG_AGO, abolished_on=None, **extra):
    field, _created = Field.objects.get_or_create(name="Hoạt động khoa học và công nghệ")
    return Procedure.objects.create(
        agency=agency,
        code=code,
        name=f"Thủ tục {code}",
        field=field,
        processing_time=Decimal("10"),
        effective_from=effective_from,
        abolished_on=abolished_on,
        **extra,
    )


@pytest.fixture
def catalogue(agency, other_agency):
    """In force on 14/12/2023: four procedures of Sở KH&CN (one starting that very day); others around them."""
    decision = "Quyết định 1234/QĐ-UBND ngày 01/6/2023"
    _procedure(agency, "1.000001", online_service="full", publishing_decision=decision)
    _procedure(agency, "1.000002", online_service="partial", publishing_decision=decision)
    _procedure(agency, "1.000003", one_stop=False, publishing_decision=decision)
    _procedure(agency, "1.000004", effective_from=D(2023, 12, 14))
    _procedure(agency, "1.000005", abolished_on=D(2023, 12, 14), online_service="full")  # gone on 14/12
    _procedure(agency, "1.000006", effective_from=D(2023, 12, 15), online_service="full")  # starts the day after
    # A code's older version is replaced by the newer one: counted once.
    _procedure(agency, "1.000001", effective_from=D(2019, 1, 1), online_service="none")
    _procedure(other_agency, "2.000001", online_service="full", publishing_decision=decision)


def test_online_share_counts_the_catalogue_on_the_years_last_day(agency, catalogue):
    m = measure("procedures_online_share", agency, 2023)
    assert str(m.value) == "0.5"
    assert m.explanation == "2/4 TTHC còn hiệu lực ngày 14/12/2023 được cung cấp dịch vụ công trực tuyến (50 %)."
    full = measure("procedures_online_share", agency, 2023, {"level": "full"})
    assert str(full.value) == "0.25" and "toàn trình" in full.explanation
    # In calendar mode the catalogue of 31/12 counts the procedure started on 15/12 and not the one abolished on 14/12.
    calendar = measure("procedures_online_share", agency, 2023, {"period_mode": "calendar"})
    assert calendar.figures[0] == ("TTHC cung cấp dịch vụ công trực tuyến", "3/5")
    with pytest.raises(ParamError):
        measure("procedures_online_share", agency, 2023, {"level": "muc-4"})


def test_the_procedures_falling_short_are_listed_with_their_pages(agency, catalogue):
    m = measure("procedures_one_stop_share", agency, 2023)
    assert str(m.value) == "0.75" and "3/4 TTHC còn hiệu lực ngày 14/12/2023 tiếp nhận qua bộ phận một cửa" in (
        m.explanation
    )
    assert m.sources[0].url.startswith("/thu-tuc/?") and "on=2023-12-14" in m.sources[0].url
    assert "one_stop=0" in m.sources[1].url
    listed = [s for s in m.sources if s.model == "procedures.procedure"]
    assert [s.label for s in listed] == ["1.000003 – Thủ tục 1.000003"]
    assert listed[0].url == f"/thu-tuc/{listed[0].pk}/"


def test_published_share_counts_the_publishing_decisions_recorded(agency, catalogue):
    m = measure("procedures_published_share", agency, 2023)
    assert str(m.value) == "0.75" and ("TTHC có quyết định công bố", "3/4") in m.figures


def test_a_whole_catalogue_gives_one_and_an_empty_one_no_value(agency, other_agency, foreign_agency, catalogue):
    assert measure("procedures_online_share", other_agency, 2023).value == 1
    assert measure("procedures_published_share", other_agency, 2023).sources[1:] == ()
    empty = measure("procedures_one_stop_share", foreign_agency, 2023)
    assert empty.value is None
    assert empty.explanation.startswith("Chưa có dữ liệu: danh mục TTHC của Sở Khoa học và Công nghệ Cao Bằng")


def test_a_running_year_counts_the_catalogue_of_today(agency, catalogue, monkeypatch):
    monkeypatch.setattr("cchc.parindex.evidence.base.today", lambda: D(2023, 12, 13))
    m = measure("procedures_online_share", agency, 2023)
    assert m.figures[0][1] == "3/4"  # 1.000005 still in force, 1.000004 not yet
    assert "ngày 13/12/2023" in m.explanation


@pytest.mark.parametrize("name", ["procedures_published_share", "procedures_one_stop_share", "procedures_online_share"])
def test_catalogue_shares_cost_two_queries_whatever_its_size(name, agency, django_assert_max_num_queries):
    for n in range(60):
        _procedure(
            agency,
            f"3.{n:06d}",
            online_service="none" if n % 3 else "full",
            one_stop=n % 3 == 0,
            publishing_decision="" if n % 3 else "Quyết định 7/QĐ-UBND ngày 02/3/2023",
        )
    with django_assert_max_num_queries(2):
        m = measure(name, agency, 2023)
    assert m.figures[0][1] == "20/60" and len([s for s in m.sources if s.model]) == 10
