"""The worklist pages as an officer uses them: the dossier list sorted by a column and filtered through its URL,
with the due colour of each row; moving the selected dossiers to a unit at once; the list exported to Excel;
"Việc của tôi" with the steps held by the user, the unit's queue and the leader's approvals."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cchc import calendar
from cchc.agencies.models import Membership, Unit
from cchc.audit.models import AuditEntry
from cchc.dossiers import lifecycle
from cchc.dossiers.models import Channel, Dossier, EventKind
from cchc.dossiers.workflow.models import DossierStep, StepState

pytestmark = pytest.mark.django_db


def codes_in(response) -> list[str]:
    return re.findall(r'<td class="[^"]*card-code"><a href="[^"]+">([^<]+)</a>', response.text)


@pytest.fixture
def receive(officer):
    def make(procedure, name="Nguyễn Văn An", at=None, **fields):
        return lifecycle.receive(agency=procedure.agency, procedure=procedure, applicant_name=name,
                                 channel=Channel.DIRECT, actor=officer,
                                 received_at=at or timezone.now() - dt.timedelta(days=1), **fields)  # fmt: skip

    return make


@pytest.fixture
def other_procedure(other_agency, field):
    from cchc.procedures.models import Procedure

    return Procedure.objects.create(agency=other_agency, code="2.001234", name="Thủ tục của sở khác", field=field,
                                    processing_time=Decimal("5"), effective_from=dt.date(2020, 1, 1))  # fmt: skip


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _set_due(dossier: Dossier, day: dt.date) -> None:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(17)))
    Dossier.objects.filter(pk=dossier.pk).update(due_at=moment, due_date=day)


# --- the list: sorting, URL filters, colours -------------------------------------------------------------------


def test_each_column_sorts_both_ways_and_a_bad_key_is_ignored(officer_client, receive, procedure):
    base = timezone.now() - dt.timedelta(days=3)
    made = [receive(procedure, name=name, at=base + dt.timedelta(hours=i)) for i, name in
            enumerate(["Chu Văn B", "An Văn C", "Bạch Thị A"])]  # fmt: skip
    for dossier, day in zip(made, [12, 10, 11], strict=True):
        _set_due(dossier, dt.date(2030, 1, day))
    by = {d.code: d for d in made}
    url = reverse("dossiers:list")
    expectations = {
        "code": sorted(by),
        "applicant": [d.code for d in sorted(made, key=lambda d: d.applicant_name)],
        "received": [d.code for d in made],
        "due": [made[1].code, made[2].code, made[0].code],
    }
    for key, ascending in expectations.items():
        assert codes_in(officer_client.get(url, {"sort": key})) == ascending, key
        assert codes_in(officer_client.get(url, {"sort": f"-{key}"})) == ascending[::-1], key
    newest_first = expectations["received"][::-1]
    assert codes_in(officer_client.get(url, {"sort": "status"})) == newest_first
    response = officer_client.get(url, {"sort": "-due"})
    assert 'aria-sort="descending"' in response.text
    # The sorted column's link turns it round, and keeps the other filters.
    response = officer_client.get(url, {"sort": "due", "channel": "1"})
    link = re.search(r'href="\?([^"]+)" data-sort="due"', response.text).group(1)
    assert "sort=-due" in link and "channel=1" in link


def test_filters_and_sort_round_trip_through_the_url(officer_client, receive, procedure):
    for i in range(3):
        receive(procedure, name=f"Nguyễn Văn {i}", at=timezone.now() - dt.timedelta(days=2, hours=i))
    params = {"q": "nguyen van", "status": "received", "channel": "1", "sort": "applicant"}
    response = officer_client.get(reverse("dossiers:list"), params)
    page = response.text
    assert 'name="q" id="id_q" value="nguyen van"' in page
    assert re.search(r'<option value="received" selected>', page)
    assert '<input type="hidden" name="sort" value="applicant">' in page
    export = re.search(r'href="(/ho-so/xuat-excel/\?[^"]+)"', page).group(1).replace("&amp;", "&")
    for key, value in params.items():
        assert f"{key}={value.replace(' ', '+')}" in export
    assert "after=" not in export
    # The bulk form comes back to the same filtered list.
    back = re.search(r'name="next" value="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert back.startswith("/ho-so/?") and "sort=applicant" in back and "channel=1" in back


def test_each_row_shows_its_due_colour_in_words_too(officer_client, receive, procedure, agency):
    today = timezone.localdate()
    cal = calendar.calendar_for(agency.province_id)
    late, soon, fine, ended = (receive(procedure, name=n) for n in ("Trễ", "Sắp", "Còn", "Xong"))
    _set_due(late, today - dt.timedelta(days=1))
    _set_due(soon, cal.add_working_days(today, agency.due_soon_days))
    _set_due(fine, cal.add_working_days(today, agency.due_soon_days + 1))
    lifecycle.assign(ended, unit=Unit.objects.create(agency=agency, name="Phòng A"), actor=None)
    lifecycle.resolve(ended, actor=None)
    page = officer_client.get(reverse("dossiers:list")).text
    tones = dict(re.findall(r'<tr data-dossier="(\d+)">.*?(?:data-tone="(\w+)"|<span class="due">)', page, re.S))
    assert tones[str(late.pk)] == "overdue"
    assert tones[str(soon.pk)] == "soon"
    assert tones[str(fine.pk)] == "ok"
    assert tones[str(ended.pk)] == ""  # an ended dossier has no due colour
    assert "Quá hạn" in page and "Sắp đến hạn" in page and "Trong hạn" in page


# --- bulk assignment -------------------------------------------------------------------------------------------


@pytest.fixture
def units(agency):
    return (Unit.objects.create(agency=agency, name="Phòng Quản lý chuyên ngành"),
            Unit.objects.create(agency=agency, name="Văn phòng Sở"))  # fmt: skip


def test_selected_dossiers_move_to_a_unit_together(officer_client, receive, procedure, units):
    first, second = receive(procedure), receive(procedure, name="Lê Thị B")
    response = officer_client.post(reverse("dossiers:bulk_assign"),
                                   {"dossier": [first.pk, second.pk], "unit": units[0].pk, "next": "/ho-so/?sort=code"},
                                   follow=True)  # fmt: skip
    assert response.redirect_chain[-1][0] == "/ho-so/?sort=code"
    assert "Đã chuyển 2 hồ sơ đến Phòng Quản lý chuyên ngành." in response.text
    for dossier in (first, second):
        dossier.refresh_from_db()
        assert dossier.current_unit == units[0] and dossier.status == "in_process"
        assert dossier.events.filter(kind=EventKind.ASSIGNED).count() == 1


def test_one_refusal_moves_nothing_and_says_which_and_why(officer_client, receive, procedure, units, other_procedure):
    movable, there, ended = receive(procedure), receive(procedure, name="B"), receive(procedure, name="C")
    lifecycle.assign(there, unit=units[0], actor=None)
    lifecycle.assign(ended, unit=units[1], actor=None)
    lifecycle.refuse(ended, actor=None, reason="Không đủ điều kiện")
    foreign = lifecycle.receive(agency=other_procedure.agency, procedure=other_procedure, applicant_name="D",
                                channel=Channel.DIRECT, actor=None,
                                received_at=timezone.now() - dt.timedelta(days=1))  # fmt: skip
    response = officer_client.post(reverse("dossiers:bulk_assign"),
                                   {"dossier": [movable.pk, there.pk, ended.pk, foreign.pk], "unit": units[0].pk},
                                   follow=True)  # fmt: skip
    text = response.text
    assert "Không chuyển hồ sơ nào: 3 trong 4 hồ sơ" in text
    assert f"{there.code}: Hồ sơ đang ở đơn vị Phòng Quản lý chuyên ngành." in text
    assert ended.code in text and f"{foreign.pk}: Không tìm thấy hồ sơ." in text
    assert foreign.code not in text  # another agency's dossier is not even named
    movable.refresh_from_db()
    assert movable.current_unit is None and not movable.events.filter(kind=EventKind.ASSIGNED).exists()


@pytest.mark.parametrize("role", ["viewer", "aggregator"])
def test_who_may_not_process_may_not_move_dossiers(client, make_user, agency, receive, procedure, units, role):
    dossier = receive(procedure)
    client.force_login(make_user(f"u-{role}", agency, role))
    response = client.post(reverse("dossiers:bulk_assign"), {"dossier": [dossier.pk], "unit": units[0].pk})
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.current_unit is None
    page = client.get(reverse("dossiers:list")).text
    assert 'name="dossier"' not in page and "Chuyển đơn vị xử lý" not in page


def test_a_unit_of_another_agency_or_no_selection_is_refused_with_a_message(officer_client, receive, procedure,
                                                                            other_agency):  # fmt: skip
    dossier = receive(procedure)
    foreign_unit = Unit.objects.create(agency=other_agency, name="Phòng khác")
    response = officer_client.post(reverse("dossiers:bulk_assign"), {"dossier": [dossier.pk], "unit": foreign_unit.pk},
                                   follow=True)  # fmt: skip
    assert "Chọn đơn vị nhận hồ sơ." in response.text
    response = officer_client.post(reverse("dossiers:bulk_assign"), {"unit": foreign_unit.pk}, follow=True)
    assert "Chưa chọn hồ sơ nào để chuyển." in response.text
    response = officer_client.post(reverse("dossiers:bulk_assign"), {"dossier": [dossier.pk], "unit": foreign_unit.pk,
                                                                     "next": "https://evil.example/"})  # fmt: skip
    assert response["Location"] == "/ho-so/"
    dossier.refresh_from_db()
    assert dossier.current_unit is None


# --- export ----------------------------------------------------------------------------------------------------


def test_the_filtered_list_exports_to_excel_with_real_dates(officer_client, officer, receive, procedure,
                                                           other_procedure):  # fmt: skip
    received_at = timezone.make_aware(dt.datetime(2024, 5, 6, 9, 30))
    wanted = receive(procedure, name="Phạm Thị Dung", at=received_at)
    online = lifecycle.receive(agency=procedure.agency, procedure=procedure, applicant_name="Trực tuyến",
                               channel=Channel.ONLINE, actor=officer, received_at=received_at)  # fmt: skip
    lifecycle.receive(agency=other_procedure.agency, procedure=other_procedure, applicant_name="Sở khác",
                      channel=Channel.DIRECT, actor=None, received_at=received_at)  # fmt: skip
    response = officer_client.get(reverse("dossiers:export"), {"channel": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "Kênh tiếp nhận: Trực tiếp" in rows[0][0] and "Trần" not in rows[0][0]
    assert rows[1][:3] == ("Mã hồ sơ", "Cơ quan", "Chủ hồ sơ")
    assert rows[1][6] == "Thời điểm tiếp nhận" and rows[1][7] == "Ngày hẹn trả"
    data = rows[2:]
    assert [r[0] for r in data] == [wanted.code]  # not the online one, not the other agency's
    row = data[0]
    assert row[2] == "Phạm Thị Dung" and row[3] == procedure.code and row[5] == "Trực tiếp"
    assert row[6] == dt.datetime(2024, 5, 6, 9, 30)  # a real date and time, local
    assert row[7] == dt.datetime.combine(wanted.due_date, dt.time())
    assert row[8] == "Đã tiếp nhận"
    assert sheet.cell(row=3, column=7).number_format == "dd/mm/yyyy hh:mm"
    assert online.code not in {r[0] for r in data}
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == officer and entry.changes["rows"] == 1 and entry.changes["filters"] == {"channel": "1"}
    assert "Xuất Excel 1 hồ sơ" in entry.summary


def test_an_export_of_nothing_still_has_its_headers(officer_client):
    response = officer_client.get(reverse("dossiers:export"), {"q": "không có ai"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "Mã hồ sơ"


# --- Việc của tôi ----------------------------------------------------------------------------------------------


def _step(dossier, position, *, state, holder=None, unit=None, role="officer", due=None, approval=False):
    # Set by hand in place of the default step the receipt gave the dossier.
    DossierStep.objects.filter(dossier=dossier, position=position).delete()
    return DossierStep.objects.create(dossier=dossier, position=position, name=f"Bước {position}", role=role,
                                      unit=unit, holder=holder, state=state, duration=Decimal("1"),
                                      due_at=due, is_approval=approval)  # fmt: skip


@pytest.fixture
def work(officer, make_user, agency, receive, procedure, units):
    """An officer of unit 0 and a leader: steps held by each, queued in each unit for each role, approvals."""
    Membership.objects.filter(user=officer).update(unit=units[0])
    leader = make_user("lanhdao", agency, "leader")
    now = timezone.now()
    d = [receive(procedure, name=f"Chủ hồ sơ {i}") for i in range(6)]
    return {
        "leader": leader,
        "held_late": _step(d[0], 1, state=StepState.ACTIVE, holder=officer, due=now - dt.timedelta(hours=2)),
        "held": _step(d[1], 1, state=StepState.ACTIVE, holder=officer, due=now + dt.timedelta(days=20)),
        "held_done": _step(d[1], 2, state=StepState.DONE, holder=officer),
        "queued": _step(d[2], 1, state=StepState.QUEUED, unit=units[0]),
        "queued_other_role": _step(d[3], 1, state=StepState.QUEUED, unit=units[0], role="one_stop"),
        "queued_other_unit": _step(d[4], 1, state=StepState.QUEUED, unit=units[1]),
        "approval": _step(d[5], 1, state=StepState.QUEUED, role="leader", approval=True),
        "others": _step(d[2], 2, state=StepState.WAITING, holder=leader),
    }


def _steps_in(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'<tr data-step="(\d+)">', response.text)}


def test_my_work_shows_what_i_hold_and_my_units_queue(officer_client, work):
    url = reverse("worklists:my_work")
    response = officer_client.get(url)
    assert response.status_code == 200
    assert _steps_in(response) == {work["held_late"].pk, work["held"].pk}
    text = response.text
    assert "Chờ phê duyệt" not in text  # not a leader
    late_row = text.split(f'data-step="{work["held_late"].pk}"')[1].split("</tr>")[0]
    assert 'data-tone="overdue"' in late_row and "Quá hạn" in late_row
    assert _steps_in(officer_client.get(url, {"tab": "queue"})) == {work["queued"].pk}
    assert _steps_in(officer_client.get(url, {"tab": "nonsense"})) == {work["held_late"].pk, work["held"].pk}
    # Most urgent first.
    assert text.index(f'data-step="{work["held_late"].pk}"') < text.index(f'data-step="{work["held"].pk}"')


def test_a_leader_sees_the_approvals_waiting(client, work):
    client.force_login(work["leader"])
    url = reverse("worklists:my_work")
    assert "Chờ phê duyệt" in client.get(url).text
    assert _steps_in(client.get(url, {"tab": "approval"})) == {work["approval"].pk}
    assert "Chờ đơn vị nhận" not in client.get(url).text  # the leader has no unit here


def test_my_work_of_another_agency_never_shows(client, make_user, other_agency, work):
    client.force_login(make_user("khac", other_agency, "officer"))
    assert _steps_in(client.get(reverse("worklists:my_work"))) == set()


def test_my_work_runs_the_same_queries_for_2_and_40_steps(officer_client, officer, receive, procedure, units, work):
    def count() -> int:
        officer_client.get(reverse("worklists:my_work"))
        with CaptureQueriesContext(connection) as queries:
            assert officer_client.get(reverse("worklists:my_work")).status_code == 200
        return len(queries)

    small = count()
    for i in range(19):
        dossier = receive(procedure, name=f"Thêm {i}")
        _step(dossier, 1, state=StepState.ACTIVE, holder=officer, due=timezone.now() + dt.timedelta(days=i))
        _step(dossier, 2, state=StepState.QUEUED, unit=units[0])
    assert count() == small <= 10


def test_the_agencys_own_due_soon_days_decide_the_amber(officer_client, receive, procedure, agency):
    cal = calendar.calendar_for(agency.province_id)
    dossier = receive(procedure)
    _set_due(dossier, cal.add_working_days(timezone.localdate(), 4))

    def tone() -> str:
        page = officer_client.get(reverse("dossiers:list")).text
        return re.search(rf'<tr data-dossier="{dossier.pk}">.*?data-tone="(\w+)"', page, re.S).group(1)

    assert tone() == "ok"  # the default: 2 working days
    agency.due_soon_days = 4
    agency.save()
    assert tone() == "soon"
    assert "hạn trong 4 ngày làm việc tới" in officer_client.get(reverse("dossiers:list")).text
