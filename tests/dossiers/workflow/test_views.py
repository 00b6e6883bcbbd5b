"""The dossier page's "Quy trình xử lý" panel and the move pages: what each person is offered, 403 for the others,
the forms' messages, the desk's return form, and two officers taking the same queued step at once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from workflow_setup import local, steps

from cchc.dossiers.models import Dossier, Status
from cchc.dossiers.workflow import services
from cchc.dossiers.workflow.models import DossierResult, DossierStep, StepState
from concurrency import concurrent_database


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail(client, dossier):
    return client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()


def move_url(step, move):
    return reverse("dossiers:workflow_move", args=[step.pk, move])


def test_the_panel_shows_the_steps_and_offers_the_officer_to_take(dossier, people):
    html = detail(client_for(people["officer"]), dossier)
    assert "Quy trình xử lý" in html
    assert "Hàng chờ của Phòng Quản lý chuyên ngành" in html and "Chờ nhận xử lý" in html
    assert 'data-move="take"' in html
    # A person of another unit sees the panel, not the button.
    assert 'data-move="take"' not in detail(client_for(people["officer_qlkh"]), dossier)


def test_take_forward_approve_and_return_through_the_pages(dossier, people, agency):
    check = steps(dossier)[1]
    officer = client_for(people["officer"])
    response = officer.post(move_url(check, "take"))
    assert response.status_code == 302
    html = detail(officer, dossier)
    assert 'data-move="forward"' in html and 'data-move="send_back"' in html
    page = officer.get(move_url(check, "forward")).content.decode()
    assert "Hoàng Văn Minh" in page and "Lê Văn Bình" not in page  # only people of the next step's role
    response = officer.post(move_url(check, "forward"), {"to_user": people["leader"].pk, "note": "Đủ điều kiện"})
    assert response.status_code == 302
    approval = steps(dossier)[2]
    leader = client_for(people["leader"])
    assert leader.post(move_url(approval, "approve"), {"note": "Đồng ý"}).status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RESOLVED
    clerk_step = steps(dossier)[3]
    clerk = client_for(people["clerk"])
    clerk.post(move_url(clerk_step, "take"))
    clerk.post(move_url(clerk_step, "forward"), {"to_user": people["desk"].pk})
    desk = client_for(people["desk"])
    html = detail(desk, dossier)
    assert 'data-move="return"' in html
    url = reverse("dossiers:workflow_return", args=[dossier.pk])
    response = desk.post(url, {"return_channel": "1", "returned_to": "Nguyễn Văn An"})
    assert "Phải ghi số, ký hiệu của kết quả" in response.content.decode()
    response = desk.post(url, {"number": "15/GP-SKHCN", "issued_on": "2024-02-19", "return_channel": "1",
                               "returned_to": "Nguyễn Văn An", "electronic": "on"})  # fmt: skip
    assert response.status_code == 302
    result = DossierResult.objects.get(dossier=dossier)
    assert (result.number, result.electronic, result.returned_to) == ("15/GP-SKHCN", True, "Nguyễn Văn An")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RETURNED


@pytest.mark.parametrize("who", ["officer_qlkh", "viewer", "desk"])
def test_a_move_of_another_role_is_forbidden_with_a_message(dossier, people, who):
    check = steps(dossier)[1]
    response = client_for(people[who]).post(move_url(check, "take"))
    assert response.status_code == 403
    assert "chỉ người có vai trò của bước" in response.content.decode()
    assert DossierStep.objects.get(pk=check.pk).state == StepState.QUEUED


def test_another_agency_does_not_even_see_the_step(dossier, people):
    check = steps(dossier)[1]
    assert client_for(people["outsider"]).post(move_url(check, "take")).status_code == 404
    assert client_for(people["outsider"]).get(reverse("dossiers:workflow_step", args=[check.pk])).status_code == 404


def test_send_back_without_reason_keeps_the_form(dossier, people):
    check = steps(dossier)[1]
    services.take(check, actor=people["officer"], at=local(2024, 2, 5, 10))
    services.forward(check, actor=people["officer"], to_user=people["leader"], at=local(2024, 2, 6, 10))
    approval = steps(dossier)[2]
    leader = client_for(people["leader"])
    response = leader.post(move_url(approval, "send_back"), {"reason": "  "})
    assert response.status_code == 200 and "Phải nêu rõ lý do trả lại bước trước." in response.content.decode()
    response = leader.post(move_url(approval, "send_back"), {"reason": "Thiếu ý kiến thẩm định"})
    assert response.status_code == 302
    html = detail(client_for(people["officer"]), dossier)
    assert "Đã trả lại bước trước" in html and "Thiếu ý kiến thẩm định" in html


def test_a_step_taken_meanwhile_gets_a_clear_message(dossier, people):
    check = steps(dossier)[1]
    services.take(check, actor=people["officer2"], at=local(2024, 2, 5, 10))
    response = client_for(people["officer"]).post(move_url(check, "take"))
    # The page is still the officer's to see: the table says who took it.
    assert response.status_code == 403 or "Lê Văn Bình đã nhận xử lý" in response.content.decode()


@concurrent_database
@pytest.mark.django_db(transaction=True)
def test_two_officers_take_the_same_queued_step_at_once_one_wins(agency, process, people):
    from workflow_setup import receive

    dossier = receive(agency, process, people["desk"], local(2024, 2, 5, 9))
    check = steps(dossier)[1]
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def officer(name):
        try:
            barrier.wait(10)
            services.take(DossierStep.objects.get(pk=check.pk), actor=people[name])
            outcomes[name] = "took"
        except Exception as exc:  # noqa: BLE001 - the loser's message is the point
            outcomes[name] = " ".join(getattr(exc, "messages", [str(exc)]))
        finally:
            connection.close()

    threads = [threading.Thread(target=officer, args=(name,)) for name in ("officer", "officer2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    winners = [name for name, outcome in outcomes.items() if outcome == "took"]
    assert len(winners) == 1, outcomes
    loser = next(name for name in outcomes if name not in winners)
    winner_name = people[winners[0]].get_full_name()
    assert outcomes[loser] == f"{winner_name} đã nhận xử lý bước 2. Thẩm định hồ sơ trước bạn."
    step = DossierStep.objects.get(pk=check.pk)
    assert (step.state, step.holder) == (StepState.ACTIVE, people[winners[0]])
    assert step.dossier.handovers.filter(kind="take").count() == 1
