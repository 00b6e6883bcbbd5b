"""`cchc index766` (text and JSON), the report block, and what reception records for the index."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cchc.dossiers import reception
from cchc.dossiers.models import PaymentGateway
from cchc.reports.blocks import REGISTRY, BlockContext
from cchc.serviceindex.blocks import service_index_766, summary_sentence

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("index766", *args, stdout=out)
    return out.getvalue()


def test_the_json_has_total_max_and_groups_with_their_indicators(world):
    data = json.loads(run("--agency", "SKHCN", "--province", "H45", "--period", "2023-Q1", "--format", "json"))
    assert (data["total"], data["max"]) == (50, 100)
    assert data["period"] == {
        "key": "2023-Q1",
        "label": "Quý I năm 2023",
        "start": "2023-01-01",
        "end": "2023-03-31",
        "as_of": "2023-03-31",
    }
    assert [g["code"] for g in data["groups"]] == ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL"]
    for group in data["groups"]:
        assert {"code", "name", "max", "points", "indicators"} <= set(group)
        assert round(sum(i["points"] or 0 for i in group["indicators"]), 2) == group["points"]
        for indicator in group["indicators"]:
            assert {"code", "name", "max", "points", "numerator", "denominator"} <= set(indicator)
    on_time = next(i for g in data["groups"] for i in g["indicators"] if i["code"] == "2.1")
    assert (on_time["numerator"], on_time["denominator"], on_time["points"], on_time["max"]) == (7, 11, 12.73, 20)
    publication = next(i for g in data["groups"] for i in g["indicators"] if i["code"] == "1.1")
    assert publication["points"] is None and publication["state"] == "no_data"


def test_the_text_lists_groups_and_indicators(world):
    out = run("--agency", "SKHCN", "--province", "H45", "--period", "2023-Q1")
    assert "Tổng điểm: 50/100" in out
    assert "TDGQ Tiến độ giải quyết: 12,73/20" in out
    assert "4.6" in out and "không áp dụng" in out


def test_a_province_and_the_errors(world):
    data = json.loads(run("--province", "H45", "--period", "2023-Q1", "--format", "json"))
    sync = next(i for g in data["groups"] for i in g["indicators"] if i["code"] == "1.4")
    assert sync["denominator"] == 10 and data["scope"] == "Toàn tỉnh Quảng Trị"
    with pytest.raises(CommandError, match="Có nhiều cơ quan"):
        run("--agency", "SKHCN", "--period", "2023-Q1")  # one in each province
    with pytest.raises(CommandError, match="Không tìm thấy cơ quan"):
        run("--agency", "KHONGCO", "--period", "2023-Q1")
    with pytest.raises(CommandError, match="Quý không hợp lệ"):
        run("--agency", "SKHCN", "--province", "H45", "--period", "2023-Q5")
    with pytest.raises(CommandError, match="Cần --agency"):
        run("--period", "2023-Q1")


def test_the_report_block_is_registered_and_uses_the_calendar_quarter(world, officer):
    from cchc.reports import services as report_services

    assert "service_index_766" in REGISTRY
    report = report_services.create_report(world["a"], "cchc-quarterly", "2023-Q1", officer)
    blocks = service_index_766(report, BlockContext(report))
    sentence = blocks[0].plain_text
    assert "đạt 50/100 điểm" in sentence and "từ ngày 01/01/2023 đến ngày 31/03/2023" in sentence
    table = blocks[1]
    assert table.rows[-1][-2:] == ["50", "100"]
    assert any(row[0] == "2.1" and row[3] == "12,73" for row in table.rows)
    without_table = service_index_766(report, BlockContext(report, {"table": False}))
    assert len(without_table) == 1


def test_the_summary_sentence_names_every_group(world):
    from cchc.serviceindex import service

    from .conftest import LATER, Q1

    sentence = summary_sentence(service.compute(Q1, agencies=[world["a"]], today=LATER))
    assert "công khai, minh bạch 6/18 điểm" in sentence and "mức độ hài lòng 9,42/18 điểm" in sentence


def test_reception_records_the_digitised_reused_and_paid_online_parts(world, one_stop_staff):
    pf = world["procedures"]["PF"]
    first, second = pf.components.order_by("position")
    fee = pf.fee_items.get()
    dossier = reception.receive(
        agency=world["a"],
        procedure=pf,
        applicant_name="Nguyễn Thị Hoa",
        channel=1,
        actor=one_stop_staff,
        received_at=dt.datetime(2023, 3, 1, 9, tzinfo=dt.UTC),
        handed_in=[
            reception.HandedIn(first, True, 1, 0, digitised=True, reused=True),
            reception.HandedIn(second, True, 0, 1, digitised=False),
        ],
        collected=[
            reception.Collected(fee, Decimal(200_000), "BL01", paid_online=True, gateway=PaymentGateway.PROVINCIAL)
        ],
    )
    dossier.refresh_from_db()
    assert (dossier.digitised_components, dossier.reused_components, dossier.digitised) == (1, 1, False)
    assert (dossier.fees_due, dossier.fees_paid, dossier.payment_gateway) == (200_000, 200_000, 2)
    assert dossier.received_components.filter(reused=True).count() == 1
    plain = reception.receive(
        agency=world["a"],
        procedure=pf,
        applicant_name="Trần Văn Bình",
        channel=1,
        actor=one_stop_staff,
        received_at=dt.datetime(2023, 3, 1, 10, tzinfo=dt.UTC),
        handed_in=[reception.HandedIn(first, True, 1, 0), reception.HandedIn(second, True, 1, 0)],
    )
    plain.refresh_from_db()
    assert (plain.fees_due, plain.fees_paid, plain.payment_gateway) == (None, 0, PaymentGateway.NOT_ONLINE)
