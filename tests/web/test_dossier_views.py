"""The dossier pages as a user of the one-stop desk meets them: list, detail, receipt, each step, import."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.audit.models import AuditEntry
from cchc.dossiers import lifecycle
from cchc.dossiers.deadlines import due_for
from cchc.dossiers.models import Channel, Dossier, DossierEvent, Status

pytestmark = pytest.mark.django_db


def moment(year, month, day, hour=9, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


@pytest.fixture
def other_procedure(other_agency, field):
    from cchc.procedures.models import Procedure

    return Procedure.objects.create(
        agency=other_agency,
        code="2.001234",
        name="Thẩm định hồ sơ cán bộ",
        field=field,
        processing_time=Decimal("5"),
        effective_from=dt.date(2020, 1, 1),
    )


@pytest.fixture
def receive(officer):
    def make(procedure, name="Nguyễn Văn An", at=None, channel=Channel.DIRECT, **fields):
        return lifecycle.receive(
            agency=procedure.agency,
            procedure=procedure,
            applicant_name=name,
            channel=channel,
            actor=officer,
            received_at=at or moment(2023, 3, 15),
            **fields,
        )

    return make


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def codes_in(response) -> list[str]:
    return re.findall(
        r'<tr data-dossier="\d+">.*?<td class="[^"]*card-code"><a href="[^"]+">([^<]+)</a>', response.text, re.S
    )


# --- list ------------------------------------------------------------------------------------------------------


def test_list_requires_login(client):
    response = client.get(reverse("dossiers:list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_list_shows_only_dossiers_of_the_users_agency(officer_client, receive, procedure, other_procedure):
    own = receive(procedure, name="Trần Thị Bình")
    foreign = receive(other_procedure, name="Lê Văn Cường")

    response = officer_client.get(reverse("dossiers:list"))

    assert response.status_code == 200
    assert codes_in(response) == [own.code]
    assert foreign.code not in response.text
    assert "Lê Văn Cường" not in response.text


def test_aggregator_sees_every_agency_of_the_province(client, make_user, agency, receive, procedure, other_procedure):
    own = receive(procedure)
    other = receive(other_procedure, at=moment(2023, 3, 16))
    client.force_login(make_user("tonghop", agency, "aggregator"))

    response = client.get(reverse("dossiers:list"))

    assert codes_in(response) == [other.code, own.code]


def test_filters_narrow_the_list(officer_client, receive, procedure, field, agency):
    from cchc.procedures.models import Field, Procedure

    patents = Field.objects.create(name="Sở hữu trí tuệ")
    ip_procedure = Procedure.objects.create(
        agency=agency,
        code="1.005555",
        name="Đăng ký hợp đồng chuyển giao công nghệ",
        field=patents,
        processing_time=Decimal("7"),
        effective_from=dt.date(2020, 1, 1),
    )
    march = receive(procedure, name="Phạm Thị Dung", at=moment(2023, 3, 1), channel=Channel.ONLINE)
    april = receive(procedure, name="Hoàng Văn Em", at=moment(2023, 4, 3))
    may = receive(ip_procedure, name="Đỗ Thị Giang", at=moment(2023, 5, 2), channel=Channel.POSTAL)
    lifecycle.assign(april, unit=_unit(agency), actor=None, at=moment(2023, 4, 3, 10))
    url = reverse("dossiers:list")

    assert codes_in(officer_client.get(url, {"channel": Channel.ONLINE})) == [march.code]
    assert codes_in(officer_client.get(url, {"status": Status.IN_PROCESS})) == [april.code]
    assert codes_in(officer_client.get(url, {"field": patents.pk})) == [may.code]
    assert codes_in(officer_client.get(url, {"procedure": procedure.pk})) == [april.code, march.code]
    assert codes_in(officer_client.get(url, {"received_from": "2023-03-15", "received_to": "2023-04-30"})) == [
        april.code
    ]
    assert codes_in(officer_client.get(url, {"q": "hoàng"})) == [april.code]
    assert codes_in(officer_client.get(url, {"q": may.code[:-2]})) == [may.code]
    # All three were received in 2023 and none has ended: all are overdue today.
    assert len(codes_in(officer_client.get(url, {"overdue": "on"}))) == 3


def test_overdue_filter_leaves_out_dossiers_within_their_time(officer_client, receive, procedure):
    late = receive(procedure, at=moment(2023, 3, 1))
    fresh = receive(procedure, at=timezone.now() - dt.timedelta(minutes=1))
    ended = receive(procedure, at=moment(2023, 3, 2))
    lifecycle.resolve(ended, actor=None, at=moment(2023, 3, 3))

    response = officer_client.get(reverse("dossiers:list"), {"overdue": "on"})

    assert codes_in(response) == [late.code]
    assert fresh.code not in codes_in(response)


def test_period_figure_lists_the_dossiers_the_statistics_count(officer_client, officer, receive, procedure, agency):
    from cchc.statistics import periods, service

    # Q1 2023 under Nghị định 09/2019: 15/12/2022 - 14/03/2023. Due in 10 working days.
    early = receive(procedure, name="Sớm", at=moment(2023, 1, 4))
    lifecycle.resolve(early, actor=officer, at=moment(2023, 1, 6))
    late = receive(procedure, name="Trễ", at=moment(2023, 2, 1))
    lifecycle.resolve(late, actor=officer, at=moment(2023, 3, 10))
    still_open = receive(procedure, name="Đang xử lý", at=moment(2023, 3, 13))
    receive(procedure, name="Kỳ sau", at=moment(2023, 3, 20))
    url = reverse("dossiers:list")
    quarter = periods.parse_period("2023-Q1")
    figures = service.compute(quarter, agencies=[agency]).dossiers

    resolved_late = codes_in(officer_client.get(url, {"period": "2023-Q1", "figure": "resolved_late"}))
    resolved = codes_in(officer_client.get(url, {"period": "2023-Q1", "figure": "resolved"}))
    in_progress = codes_in(officer_client.get(url, {"period": "2023-Q1", "figure": "in_progress"}))

    assert resolved_late == [late.code] and len(resolved_late) == figures.resolved_late
    assert resolved == [late.code, early.code] and len(resolved) == figures.resolved
    assert in_progress == [still_open.code] and len(in_progress) == figures.in_progress
    unknown = officer_client.get(url, {"period": "2023-Q1", "figure": "khong-co"})
    assert "Bộ lọc số liệu kỳ báo cáo không áp dụng được" in unknown.text
    assert len(codes_in(unknown)) == 4


def test_invalid_filter_is_reported_not_crashing(officer_client, receive, procedure):
    receive(procedure)
    response = officer_client.get(reverse("dossiers:list"), {"received_from": "31/02/2023", "channel": "9"})
    assert response.status_code == 200
    assert len(codes_in(response)) == 1
    assert "Kênh tiếp nhận" in response.text


def test_htmx_request_gets_only_the_results(officer_client, receive, procedure):
    dossier = receive(procedure)
    response = officer_client.get(reverse("dossiers:list"), {"q": dossier.code}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text
    assert codes_in(response) == [dossier.code]
    assert "HX-Request" in response["Vary"]
    restore = officer_client.get(
        reverse("dossiers:list"), {"q": dossier.code}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.text


def test_keyset_pagination_walks_every_dossier_once_in_order(officer_client, agency, procedure):
    base = moment(2023, 1, 2)
    rows = []
    for i in range(123):
        # Pairs with the same receipt moment: the pk breaks the tie.
        received = base + dt.timedelta(hours=i // 2)
        rows.append(
            Dossier(
                agency=agency,
                procedure=procedure,
                code=f"HS-{i:04d}",
                applicant_name=f"Người nộp {i}",
                received_at=received,
                received_on=timezone.localtime(received).date(),
                due_at=received + dt.timedelta(days=14),
                due_date=timezone.localtime(received + dt.timedelta(days=14)).date(),
            )
        )
    Dossier.objects.bulk_create(rows)
    expected = list(
        Dossier.objects.filter(agency=agency).order_by("-received_at", "-pk").values_list("code", flat=True)
    )

    seen, pages, query = [], [], {}
    while True:
        response = officer_client.get(reverse("dossiers:list"), query)
        page = codes_in(response)
        pages.append(page)
        seen += page
        found = re.search(r'href="\?([^"]+)" rel="next"', response.text)
        if not found:
            break
        query = dict(pair.split("=", 1) for pair in found.group(1).replace("&amp;", "&").split("&"))
        query = {k: _unquote(v) for k, v in query.items()}

    assert seen == expected
    assert [len(p) for p in pages] == [50, 50, 23]
    assert "Trang trước" in response.text
    back = re.search(r'href="\?([^"]+)" rel="prev"', response.text).group(1).replace("&amp;", "&")
    previous = officer_client.get(reverse("dossiers:list") + "?" + back)
    assert codes_in(previous) == pages[1]


def test_count_is_capped(officer_client, agency, procedure, monkeypatch):
    from cchc.dossiers import views

    monkeypatch.setattr(views, "COUNT_CAP", 3)
    for i in range(5):
        received = moment(2023, 2, 1) + dt.timedelta(hours=i)
        Dossier.objects.create(
            agency=agency,
            procedure=procedure,
            code=f"C-{i}",
            applicant_name="A",
            received_at=received,
            received_on=received.date(),
            due_at=received,
            due_date=received.date(),
        )
    response = officer_client.get(reverse("dossiers:list"))
    assert 'data-count="3+"' in response.text
    assert "Hơn 3 hồ sơ" in response.text


# --- detail and permissions ------------------------------------------------------------------------------------


def test_detail_shows_fields_timeline_and_allowed_steps(officer_client, receive, procedure):
    dossier = receive(procedure, name="Vũ Thị Hạnh", applicant_phone="0912345678")

    response = officer_client.get(reverse("dossiers:detail", args=[dossier.pk]))

    assert response.status_code == 200
    text = response.text
    assert dossier.code in text and "Vũ Thị Hạnh" in text and "0912345678" in text
    assert dossier.due_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y") in text
    assert 'data-kind="received"' in text
    # Received, not yet assigned: the desk may assign, resolve, refuse... but not return a result.
    assert f'href="{reverse("dossiers:action", args=[dossier.pk, "assigned"])}"' in text
    assert 'data-action="result_returned"' not in text
    assert 'data-action="supplemented"' not in text


def test_a_resolved_dossier_without_a_process_offers_one_way_to_return_its_result(officer_client, receive, procedure):
    dossier = receive(procedure, at=timezone.now() - dt.timedelta(hours=1))
    _step(officer_client, dossier, "resolved", {})
    text = officer_client.get(reverse("dossiers:detail", args=[dossier.pk])).text
    assert 'data-action="result_returned"' not in text
    assert text.count('data-move="return"') == 1
    assert f'href="{reverse("dossiers:workflow_return", args=[dossier.pk])}"' in text


def test_detail_shows_no_step_buttons_to_a_viewer(client, viewer, receive, procedure):
    dossier = receive(procedure)
    client.force_login(viewer)
    response = client.get(reverse("dossiers:detail", args=[dossier.pk]))
    assert response.status_code == 200
    assert "data-action=" not in response.text


def test_another_agencys_dossier_is_404_everywhere(officer_client, receive, other_procedure):
    foreign = receive(other_procedure)
    assert officer_client.get(reverse("dossiers:detail", args=[foreign.pk])).status_code == 404
    for kind in lifecycle.ACTIONS:
        url = reverse("dossiers:action", args=[foreign.pk, kind])
        assert officer_client.get(url).status_code == 404
        assert officer_client.post(url, {"note": "x", "reason": "x"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Status.RECEIVED


def test_viewer_gets_403_on_every_post(client, viewer, receive, procedure, unit):
    dossier = receive(procedure)
    client.force_login(viewer)
    for kind in lifecycle.ACTIONS:
        response = client.post(reverse("dossiers:action", args=[dossier.pk, kind]), {"unit": unit.pk, "note": "x"})
        assert response.status_code == 403, kind
    assert client.post(reverse("dossiers:receive"), _receipt(procedure)).status_code == 403
    upload = io.BytesIO(b"ma_ho_so\n")
    upload.name = "hs.csv"
    assert client.post(reverse("dossiers:import"), {"file": upload}).status_code == 403
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.filter(dossier=dossier).count() == 1


def test_aggregator_may_read_but_not_act(client, make_user, agency, receive, procedure):
    dossier = receive(procedure)
    client.force_login(make_user("tonghop", agency, "aggregator"))
    assert client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == 200
    assert client.post(reverse("dossiers:action", args=[dossier.pk, "resolved"]), {}).status_code == 403


def test_unknown_step_is_404(officer_client, receive, procedure):
    dossier = receive(procedure)
    assert officer_client.post(reverse("dossiers:action", args=[dossier.pk, "xoa"]), {}).status_code == 404


# --- receipt ---------------------------------------------------------------------------------------------------


def _receipt(procedure, **overrides) -> dict:
    data = {
        "procedure": procedure.pk,
        "applicant_kind": "person",
        "applicant_name": "  Nguyễn   Thị Lan ",
        "applicant_id_number": "045190000123",
        "channel": Channel.DIRECT,
        "result_channel": Channel.POSTAL,
        "received_at": "2023-03-15T09:30",
        "digitised": "on",
    }
    data.update(overrides)
    return data


def test_receipt_form_offers_the_agencys_procedures_in_force(officer_client, procedure, other_procedure, agency, field):
    from cchc.procedures.models import Procedure

    abolished = Procedure.objects.create(
        agency=agency,
        code="1.000001",
        name="Thủ tục đã bãi bỏ",
        field=field,
        processing_time=Decimal("3"),
        effective_from=dt.date(2019, 1, 1),
        abolished_on=dt.date(2021, 1, 1),
    )
    response = officer_client.get(reverse("dossiers:receive"))
    assert response.status_code == 200
    select = re.search(r'<select name="procedure".*?</select>', response.text, re.S).group(0)
    options = re.findall(r'<option value="(\d+)"', select)
    assert str(procedure.pk) in options
    assert str(other_procedure.pk) not in options
    assert str(abolished.pk) not in options


def test_receipt_creates_a_dossier_with_its_due_date(officer_client, officer, procedure):
    response = officer_client.post(reverse("dossiers:receive"), _receipt(procedure))

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:detail", args=[dossier.pk])
    received = moment(2023, 3, 15, 9, 30)
    assert dossier.received_at == received
    assert dossier.due_at == due_for(procedure, received)
    # 10 working days after Wednesday 15/03/2023, the day of receipt not counted.
    assert dossier.due_date == dt.date(2023, 3, 29)
    assert dossier.applicant_name == "Nguyễn Thị Lan"
    assert dossier.digitised is True
    assert dossier.result_channel == Channel.POSTAL
    assert dossier.created_by == officer
    assert AuditEntry.objects.filter(object_id=str(dossier.pk), actor=officer).exists()
    detail = officer_client.get(response["Location"])
    assert "29/03/2023" in detail.text


def test_receipt_form_reports_errors_in_vietnamese(officer_client, procedure, other_procedure):
    response = officer_client.post(
        reverse("dossiers:receive"),
        _receipt(other_procedure, applicant_name="   ", applicant_email="khong-phai-email", received_at="hôm qua"),
    )
    assert response.status_code == 200
    text = response.text
    assert "Thủ tục không thuộc danh mục đang áp dụng của cơ quan." in text
    assert "Vui lòng nhập tên chủ hồ sơ." in text
    assert "Địa chỉ thư điện tử không hợp lệ." in text
    assert "Thời điểm tiếp nhận không hợp lệ." in text
    assert not Dossier.objects.exists()


def test_receipt_in_the_future_is_refused_by_the_lifecycle(officer_client, procedure):
    later = timezone.localtime() + dt.timedelta(days=2)
    response = officer_client.post(
        reverse("dossiers:receive"), _receipt(procedure, received_at=f"{later:%Y-%m-%dT%H:%M}")
    )
    assert response.status_code == 200
    assert "nằm trong tương lai" in response.text
    assert not Dossier.objects.exists()


# --- steps -----------------------------------------------------------------------------------------------------


def _unit(agency):
    from cchc.agencies.models import Unit

    unit, _ = Unit.objects.get_or_create(agency=agency, name="Phòng Quản lý chuyên ngành")
    return unit


def _step(client, dossier, kind, data):
    return client.post(reverse("dossiers:action", args=[dossier.pk, kind]), data)


def test_each_step_form_moves_the_dossier(officer_client, officer, receive, procedure, unit):
    received = timezone.now() - dt.timedelta(hours=1)
    dossier = receive(procedure, at=received)
    assert officer_client.get(reverse("dossiers:action", args=[dossier.pk, "assigned"])).status_code == 200

    response = _step(officer_client, dossier, "assigned", {"unit": unit.pk, "note": "Chuyển thẩm định"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.status, dossier.current_unit) == (Status.IN_PROCESS, unit)

    _step(officer_client, dossier, "supplement_requested", {"note": "Bổ sung bản sao chứng chỉ nhân viên bức xạ"})
    dossier.refresh_from_db()
    assert dossier.status == Status.WAITING_SUPPLEMENT and dossier.paused_at is not None

    _step(officer_client, dossier, "supplemented", {"note": ""})
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESS and dossier.paused_at is None

    new_date = dossier.due_date + dt.timedelta(days=7)
    _step(
        officer_client, dossier, "apology_issued", {"new_date": new_date.isoformat(), "note": "Chờ ý kiến liên ngành"}
    )
    dossier.refresh_from_db()
    assert dossier.promised_date == new_date

    _step(officer_client, dossier, "resolved", {"result_digitised": "on"})
    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED and dossier.ended_at is not None and dossier.result_digitised

    _step(officer_client, dossier, "result_returned", {})
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.returned_at is not None

    kinds = list(dossier.events.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == [
        "received",
        "assigned",
        "supplement_requested",
        "supplemented",
        "apology_issued",
        "resolved",
        "result_returned",
    ]
    assert set(dossier.events.exclude(kind="received").values_list("actor", flat=True)) == {officer.pk}
    detail = officer_client.get(reverse("dossiers:detail", args=[dossier.pk]))
    assert "Chờ ý kiến liên ngành" in detail.text
    assert "data-action=" not in detail.text


def test_refuse_and_withdraw_forms(officer_client, receive, procedure):
    refused = receive(procedure, at=timezone.now() - dt.timedelta(hours=2))
    withdrawn = receive(procedure, at=timezone.now() - dt.timedelta(hours=1))

    missing = _step(officer_client, refused, "refused", {"note": ""})
    assert "Vui lòng nêu lý do từ chối." in missing.text
    _step(officer_client, refused, "refused", {"note": "Thiết bị không đạt yêu cầu an toàn bức xạ"})
    _step(officer_client, withdrawn, "withdrawn", {"note": "Công dân xin rút"})

    refused.refresh_from_db()
    withdrawn.refresh_from_db()
    assert refused.status == Status.REFUSED
    assert refused.events.get(kind="refused").note == "Thiết bị không đạt yêu cầu an toàn bức xạ"
    assert withdrawn.status == Status.WITHDRAWN and withdrawn.ended_at is not None


def test_a_refused_or_withdrawn_dossier_says_what_happened_not_resolved_early(officer_client, receive, procedure):
    """Biểu 06 counts them among the resolved; the page used to wear the badge "Giải quyết trước hạn"."""
    refused = receive(procedure, at=timezone.now() - dt.timedelta(hours=2))
    _step(officer_client, refused, "refused", {"note": "Thiết bị không đạt yêu cầu an toàn bức xạ"})
    withdrawn = receive(procedure, at=timezone.now() - dt.timedelta(hours=1))
    _step(officer_client, withdrawn, "withdrawn", {"note": "Công dân xin rút"})

    for dossier, status, portal in ((refused, "Từ chối giải quyết", "8 – Dừng xử lý"),
                                    (withdrawn, "Công dân rút hồ sơ", "7 – Công dân yêu cầu rút hồ sơ")):
        dossier.refresh_from_db()
        page = officer_client.get(reverse("dossiers:detail", args=[dossier.pk])).text
        assert "Giải quyết trước hạn" not in page
        assert "data-classification" not in page
        assert f'data-status="{dossier.status}">{status}</span>' in page
        assert "Biểu 06 tính hồ sơ này vào số đã giải quyết (giải quyết trước hạn)." in page
        assert f'<dd data-field="national_status">{portal}</dd>' in page


def test_the_portal_status_shows_its_code_and_label(officer_client, receive, procedure):
    dossier = receive(procedure, at=timezone.now() - dt.timedelta(hours=1))
    page = officer_client.get(reverse("dossiers:detail", args=[dossier.pk])).text
    assert '<dd data-field="national_status">2 – Được tiếp nhận</dd>' in page


def test_step_forms_validate_their_fields(officer_client, receive, procedure, foreign_agency):
    from cchc.agencies.models import Unit

    dossier = receive(procedure, at=timezone.now() - dt.timedelta(hours=1))
    stranger = Unit.objects.create(agency=foreign_agency, name="Phòng khác")

    assign = _step(officer_client, dossier, "assigned", {"unit": stranger.pk})
    assert "Đơn vị không thuộc cơ quan tiếp nhận hồ sơ." in assign.text
    supplement = _step(officer_client, dossier, "supplement_requested", {"note": "  "})
    assert "Vui lòng nêu nội dung cần bổ sung." in supplement.text
    apology = _step(officer_client, dossier, "apology_issued", {"new_date": "", "note": ""})
    assert "Vui lòng chọn ngày hẹn trả mới." in apology.text
    assert "Vui lòng nêu lý do chậm trễ." in apology.text
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert dossier.events.count() == 1


def test_invalid_transition_shows_the_lifecycle_message_and_changes_nothing(officer_client, receive, procedure):
    dossier = receive(procedure, at=timezone.now() - dt.timedelta(hours=1))
    audit_before = AuditEntry.objects.count()

    page = officer_client.get(reverse("dossiers:action", args=[dossier.pk, "result_returned"]))
    assert "không phù hợp với trạng thái hiện tại" in page.text
    response = _step(officer_client, dossier, "result_returned", {})

    assert response.status_code == 200
    assert "Không thể trả kết quả: hồ sơ chưa có kết quả giải quyết." in response.text
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.returned_at is None
    assert dossier.events.count() == 1
    assert AuditEntry.objects.count() == audit_before


def test_second_supplement_request_is_refused(officer_client, receive, procedure, unit):
    dossier = receive(procedure, at=timezone.now() - dt.timedelta(hours=1))
    _step(officer_client, dossier, "supplement_requested", {"note": "Thiếu bản vẽ"})
    _step(officer_client, dossier, "supplemented", {})
    response = _step(officer_client, dossier, "supplement_requested", {"note": "Thiếu thêm giấy tờ"})
    assert "Chỉ được yêu cầu bổ sung hồ sơ một lần" in response.text
    dossier.refresh_from_db()
    assert dossier.supplement_requests == 1 and dossier.status == Status.IN_PROCESS


def test_get_does_not_change_anything(officer_client, receive, procedure):
    dossier = receive(procedure, at=timezone.now() - dt.timedelta(hours=1))
    officer_client.get(reverse("dossiers:action", args=[dossier.pk, "resolved"]))
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


# --- import ----------------------------------------------------------------------------------------------------


def _upload(name: str, content: bytes) -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


@pytest.fixture
def importer_client(client, one_stop_staff):
    client.force_login(one_stop_staff)
    return client


def _import(client, upload, **data):
    """Post the import form; an accepted file becomes a background job, run here in-process (these tests are about
    the pages; tests/jobs runs a real worker), then the job's page is returned."""
    response = client.post(reverse("dossiers:import"), {"file": upload, **data})
    if response.status_code != 302:
        return response
    from cchc.jobs.worker import run_ready_in_process

    assert run_ready_in_process() == 1
    return client.get(response["Location"])


def test_import_page_is_for_importers_only(client, officer, one_stop_staff):
    client.force_login(officer)
    assert client.get(reverse("dossiers:import")).status_code == 403
    client.force_login(one_stop_staff)
    assert client.get(reverse("dossiers:import")).status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("hoso.txt", b"ma_ho_so\n", "Chỉ nhận tệp .csv hoặc .xlsx."),
        ("hoso.xlsx", b"ma_ho_so,ten\n1,2\n", "Tệp không phải bảng tính Excel (.xlsx) hợp lệ."),
        ("hoso.csv", b"PK\x03\x04\x00\x00binary", "Tệp không phải tệp văn bản CSV"),
    ],
)
def test_import_rejects_wrong_files(importer_client, name, content, message):
    response = _import(importer_client, _upload(name, content))
    assert response.status_code == 200
    assert message in response.text
    assert not Dossier.objects.exists()


def test_import_rejects_files_over_20_mb(importer_client, monkeypatch):
    from cchc.dossiers import forms

    monkeypatch.setattr(forms, "MAX_IMPORT_BYTES", 10)
    response = _import(importer_client, _upload("hoso.csv", b"a,b,c\n1,2,3\n"))
    assert "Tệp lớn hơn 20 MB." in response.text


IMPORT_HEADER = "Mã hồ sơ,Mã TTHC,Chủ hồ sơ,Ngày tiếp nhận,Ngày có kết quả\n"


def test_import_shows_counts_and_bad_rows(importer_client, procedure):
    content = (
        IMPORT_HEADER
        + "HS-0001,1.004444,Nguyễn Văn An,15/03/2023 09:00,20/03/2023 10:00\n"
        + "HS-0002,9.999999,Trần Thị Bình,16/03/2023 09:00,\n"
        + "HS-0003,1.004444,Lê Văn Cường,ngày hôm qua,\n"
    ).encode("utf-8")

    response = _import(importer_client, _upload("hoso.csv", content))

    assert response.status_code == 200
    text = response.text
    assert 'data-figure="created">1<' in text
    assert 'data-figure="errors">2<' in text
    rows = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]*)</td><td>([^<]+)</td></tr>', text)
    assert [(row, code) for row, code, _reason in rows] == [("3", "HS-0002"), ("4", "HS-0003")]
    assert all(reason.strip() for _row, _code, reason in rows)
    assert list(Dossier.objects.values_list("code", flat=True)) == ["HS-0001"]
    assert Dossier.objects.get().status == Status.RESOLVED

    again = _import(importer_client, _upload("hoso.csv", content))
    assert 'data-figure="unchanged">1<' in again.text
    assert Dossier.objects.count() == 1


def test_import_of_an_unreadable_file_changes_nothing(importer_client, procedure):
    response = importer_client.post(
        reverse("dossiers:import"), {"file": _upload("hoso.csv", "Cột lạ,Khác\n1,2\n".encode())}
    )
    assert response.status_code == 200
    assert "Mã hồ sơ" in response.text  # the message names the missing required columns
    assert 'class="errorlist"' in response.text
    assert 'id="import-result"' not in response.text
    assert not Dossier.objects.exists()


def test_import_reads_xlsx(importer_client, procedure):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(IMPORT_HEADER.strip().split(","))
    sheet.append(["HS-0101", "1.004444", "Phạm Thị Dung", "15/03/2023 09:00", None])
    buffer = io.BytesIO()
    book.save(buffer)

    response = _import(importer_client, _upload("hoso.xlsx", buffer.getvalue()))

    assert 'data-figure="created">1<' in response.text
    assert Dossier.objects.get().applicant_name == "Phạm Thị Dung"


def test_import_sample_can_be_downloaded(importer_client):
    from cchc.dossiers import views

    samples = views._samples()
    assert samples
    response = importer_client.get(reverse("dossiers:import_sample", args=[samples[0].name]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples[0].read_bytes()
    assert importer_client.get(reverse("dossiers:import_sample", args=["views.py"])).status_code == 404


def _unquote(value: str) -> str:
    from urllib.parse import unquote_plus

    return unquote_plus(value)


def test_steps_and_receipt_need_the_csrf_token(officer, receive, procedure):
    from django.test import Client

    dossier = receive(procedure, at=timezone.now() - dt.timedelta(hours=1))
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.post(reverse("dossiers:action", args=[dossier.pk, "resolved"]), {}).status_code == 403
    assert client.post(reverse("dossiers:receive"), _receipt(procedure)).status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert Dossier.objects.count() == 1


def test_reimport_with_a_change_updates_and_shows_in_the_timeline(importer_client, procedure):
    row = "HS-0201,1.004444,{name},15/03/2023 09:00,\n"
    first = (IMPORT_HEADER + row.format(name="Ngô Văn Tâm")).encode()
    second = (IMPORT_HEADER + row.format(name="Ngô Văn Tám")).encode()
    _import(importer_client, _upload("a.csv", first))

    response = _import(importer_client, _upload("b.csv", second))

    assert 'data-figure="updated">1<' in response.text
    dossier = Dossier.objects.get()
    detail = importer_client.get(reverse("dossiers:detail", args=[dossier.pk]))
    assert "Ngô Văn Tám" in detail.text
    change = r'<td class="muted">Chủ hồ sơ</td><td><del>Ngô Văn Tâm</del> → <ins>Ngô Văn Tám</ins>'
    assert re.search(change, detail.text)


def test_every_dashboard_figure_links_to_as_many_dossiers(officer_client, officer, receive, procedure):
    now = timezone.now()
    # One dossier from before the quarter still open: it is carried over into the figures.
    for days, resolve_after in ((120, None), (40, 1), (30, None), (3, 1), (2, None), (1, None)):
        dossier = receive(procedure, at=now - dt.timedelta(days=days), channel=Channel.ONLINE if days % 2 else 1)
        if resolve_after:
            lifecycle.resolve(dossier, actor=officer, at=now - dt.timedelta(days=days - resolve_after))
    dashboard = officer_client.get(reverse("dashboard"))
    cards = re.findall(
        r'<a class="stat[^"]*" href="([^"]+)">\s*<span class="stat__label">([^<]+)</span>\s*'
        r'<span class="stat__value">([\d.]+)</span>',
        dashboard.text,
    )
    assert len(cards) >= 5
    for href, label, value in cards:
        listed = officer_client.get(href.replace("&amp;", "&"))
        count = re.search(r'data-count="(\d+)"', listed.text).group(1)
        assert (label, count) == (label, value.replace(".", ""))


def test_a_search_counts_to_a_lower_cap(officer_client, agency, procedure, monkeypatch):
    """A text search says "hơn N" sooner than the plain list: its count reads the search column row by row."""
    from cchc.dossiers import views

    monkeypatch.setattr(views, "COUNT_CAP", 4)
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 2)
    for i in range(3):
        received = moment(2023, 2, 1) + dt.timedelta(hours=i)
        Dossier.objects.create(
            agency=agency,
            procedure=procedure,
            code=f"S-{i}",
            applicant_name="Nguyễn Văn Bình",
            received_at=received,
            received_on=received.date(),
            due_at=received,
            due_date=received.date(),
        )
    assert 'data-count="3"' in officer_client.get(reverse("dossiers:list")).text
    searched = officer_client.get(reverse("dossiers:list"), {"q": "nguyen van"})
    assert 'data-count="2+"' in searched.text and "Hơn 2 hồ sơ" in searched.text
    assert len(codes_in(searched)) == 3  # the rows themselves are all listed
