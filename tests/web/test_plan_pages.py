"""The plan pages as an officer meets them: list with the "11/38" summary, the task tree, the task forms, the import,
and the scoping and permission rules a viewer and another agency run into."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cchc.audit.models import AuditEntry
from cchc.audit.service import history
from cchc.plans import services
from cchc.plans.models import Plan, PlanKind, Task
from cchc.plans.rating import Progress, Rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(agency, officer):
    return services.create_plan(
        agency, kind=PlanKind.CCHC_ANNUAL, year=2023, title="Kế hoạch cải cách hành chính năm 2023", actor=officer
    )


@pytest.fixture
def other_plan(other_agency):
    return services.create_plan(other_agency, kind=PlanKind.CCHC_ANNUAL, year=2023, title="Kế hoạch CCHC Sở Nội vụ")


@pytest.fixture
def tasks(plan, officer, unit):
    group = services.create_task(plan, code="I", content="Cải cách thể chế", actor=officer)
    done = services.create_task(
        plan,
        parent=group,
        code="1",
        content="Rà soát văn bản quy phạm pháp luật",
        deadline="Quý I/2023",
        lead_unit=unit,
        actor=officer,
    )
    services.record_progress(
        done, "Đã rà soát xong", Progress.DONE, dt.date(2023, 3, 20), officer, on=dt.date(2023, 3, 20)
    )
    late = services.create_task(
        plan,
        parent=group,
        code="2",
        content="Xây dựng quy chế phối hợp",
        deadline="Tháng 6/2023",
        volume="01 quy chế",
        actor=officer,
    )
    return group, Task.objects.get(pk=done.pk), late


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


def test_list_shows_the_summary_and_hides_other_agencies(officer_client, plan, tasks, other_plan):
    response = officer_client.get(reverse("plans:list"))
    assert response.status_code == 200
    assert plan.title in response.text
    assert other_plan.title not in response.text
    assert "đã hoàn thành 01/02" in response.text


def test_list_filters_by_year_and_kind(officer_client, agency, officer, plan):
    services.create_plan(agency, kind=PlanKind.ISO, year=2022, title="Kế hoạch ISO năm 2022", actor=officer)
    response = officer_client.get(reverse("plans:list"), {"nam": 2022})
    assert "Kế hoạch ISO năm 2022" in response.text and plan.title not in response.text
    response = officer_client.get(reverse("plans:list"), {"loai": PlanKind.CCHC_ANNUAL})
    assert "Kế hoạch ISO năm 2022" not in response.text and plan.title in response.text


def test_list_requires_login(client):
    response = client.get(reverse("plans:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_create_plan_writes_an_audit_entry(officer_client, agency):
    response = officer_client.post(
        reverse("plans:create"),
        {"kind": PlanKind.BUSINESS_ENVIRONMENT, "year": 2024, "title": "Kế hoạch cải thiện môi trường kinh doanh 2024"},
    )
    plan = Plan.objects.get(title="Kế hoạch cải thiện môi trường kinh doanh 2024")
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert plan.agency == agency
    assert history(plan).filter(action=AuditEntry.Action.CREATE).exists()


def test_create_plan_refuses_bad_input_in_vietnamese(officer_client):
    response = officer_client.post(reverse("plans:create"), {"kind": PlanKind.ISO, "year": 1800, "title": ""})
    assert response.status_code == 200
    assert "Vui lòng nhập tên kế hoạch." in response.text
    assert "Năm của kế hoạch phải từ 1990 đến 2100." in response.text
    assert not Plan.objects.exists()


def test_detail_shows_the_tree_ratings_and_overdue(officer_client, plan, tasks, settings):
    group, done, late = tasks
    response = officer_client.get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 200
    text = response.text
    # Pre-order: the group, then its two tasks.
    assert (
        text.index(f'data-task="{group.pk}"')
        < text.index(f'data-task="{done.pk}"')
        < text.index(f'data-task="{late.pk}"')
    )
    assert "Quý I/2023" in text and "01 quy chế" in text
    assert f'data-rating="{Rating.GOOD}"' in text
    # Today is after June 2023, so the unfinished June task is overdue; the finished one is not.
    assert f'<tr data-task="{late.pk}" data-overdue' in text
    assert f'<tr data-task="{done.pk}" data-overdue' not in text


def test_add_and_edit_task_write_audit_entries(officer_client, plan, tasks, unit):
    group = tasks[0]
    response = officer_client.post(
        reverse("plans:task_create", args=[plan.pk]),
        {
            "parent": group.pk,
            "code": "3",
            "content": "Công bố thủ tục hành chính",
            "deadline": "Quý III/2023",
            "lead_unit": unit.pk,
            "content_complete": "on",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(plan=plan, parent=group, code="3")
    assert task.deadline_kind == "quarter" and task.lead_unit == unit
    assert history(task).filter(action=AuditEntry.Action.CREATE).exists()

    response = officer_client.post(
        reverse("plans:task_edit", args=[task.pk]),
        {
            "parent": group.pk,
            "code": "3",
            "content": "Công bố, công khai thủ tục hành chính",
            "deadline": "30/9/2023",
            "content_complete": "on",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.content == "Công bố, công khai thủ tục hành chính" and task.due_date == dt.date(2023, 9, 30)
    entry = history(task).filter(action=AuditEntry.Action.UPDATE).get()
    assert "content" in entry.changes


def test_duplicate_code_is_refused_on_the_form(officer_client, plan, tasks):
    group = tasks[0]
    response = officer_client.post(
        reverse("plans:task_create", args=[plan.pk]), {"parent": group.pk, "code": "1", "content": "Trùng số"}
    )
    assert response.status_code == 200
    assert "Số thứ tự 1 đã có trong cùng mục của kế hoạch." in response.text


def test_record_progress_and_rating(officer_client, tasks):
    late = tasks[2]
    today = timezone.localdate()
    response = officer_client.post(
        reverse("plans:task_progress", args=[late.pk]),
        {"on": today.isoformat(), "progress": Progress.DONE, "text": "Đã ban hành quy chế"},
    )
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.progress == Progress.DONE and late.completed_on == today
    assert late.updates.get().text == "Đã ban hành quy chế"
    assert history(late).filter(action=AuditEntry.Action.TRANSITION).exists()

    page = officer_client.get(reverse("plans:task_rating", args=[late.pk]))
    assert "Hoàn thành chậm" in page.text  # the proposal is shown

    refused = officer_client.post(reverse("plans:task_rating", args=[late.pk]), {"rating": Rating.GOOD, "reason": ""})
    assert refused.status_code == 200 and "Phải nêu lý do" in refused.text
    late.refresh_from_db()
    assert late.rating == ""

    response = officer_client.post(
        reverse("plans:task_rating", args=[late.pk]), {"rating": Rating.GOOD, "reason": "Chậm do tỉnh đổi hướng dẫn"}
    )
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.rating == Rating.GOOD and late.rating_reason == "Chậm do tỉnh đổi hướng dẫn"


def test_progress_in_the_future_is_refused(officer_client, tasks):
    late = tasks[2]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = officer_client.post(
        reverse("plans:task_progress", args=[late.pk]),
        {"on": tomorrow.isoformat(), "progress": Progress.IN_PROGRESS, "text": "Đang làm"},
    )
    assert response.status_code == 200
    assert "Ngày cập nhật không được sau ngày hôm nay." in response.text
    assert not late.updates.exists()


def test_task_detail_shows_updates_and_history(officer_client, tasks):
    done = tasks[1]
    response = officer_client.get(reverse("plans:task", args=[done.pk]))
    assert response.status_code == 200
    assert "Đã rà soát xong" in response.text
    assert "Cập nhật tiến độ: Đã hoàn thành" in response.text
    assert "Thêm nhiệm vụ" in response.text


def test_import_shows_created_tasks_and_row_errors(officer_client, plan):
    content = "TT,Nội dung,Thời gian hoàn thành\nI,Cải cách thể chế,\n1,Rà soát văn bản,Quý II/2023\n?,,\n"
    upload = SimpleUploadedFile("nhiem-vu.csv", content.encode("utf-8"), content_type="text/csv")
    response = officer_client.post(reverse("plans:import", args=[plan.pk]), {"file": upload})
    assert response.status_code == 200
    assert 'data-figure="created">2<' in response.text
    assert 'data-figure="errors">1<' in response.text
    assert plan.tasks.count() == 2


def test_import_refuses_other_file_types(officer_client, plan):
    upload = SimpleUploadedFile("nhiem-vu.txt", b"TT,Noi dung\n")
    response = officer_client.post(reverse("plans:import", args=[plan.pk]), {"file": upload})
    assert "Chỉ nhận tệp .csv hoặc .xlsx." in response.text


def test_viewer_reads_but_gets_403_on_every_change(viewer_client, plan, tasks):
    late = tasks[2]
    assert viewer_client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
    assert viewer_client.get(reverse("plans:task", args=[late.pk])).status_code == 200
    posts = [
        (reverse("plans:create"), {"kind": PlanKind.ISO, "year": 2023, "title": "X"}),
        (reverse("plans:task_create", args=[plan.pk]), {"code": "9", "content": "X"}),
        (reverse("plans:task_edit", args=[late.pk]), {"code": "2", "content": "X"}),
        (reverse("plans:task_progress", args=[late.pk]), {"on": "2023-07-01", "progress": "done", "text": "X"}),
        (reverse("plans:task_rating", args=[late.pk]), {"rating": Rating.GOOD, "reason": "X"}),
        (reverse("plans:import", args=[plan.pk]), {}),
    ]
    for url, data in posts:
        assert viewer_client.post(url, data).status_code == 403, url
    late.refresh_from_db()
    assert late.content == "Xây dựng quy chế phối hợp" and not late.updates.exists()
    assert Plan.objects.count() == 1


def test_another_agencys_plan_and_task_are_404(officer_client, other_plan):
    task = services.create_task(other_plan, code="1", content="Nhiệm vụ của Sở Nội vụ")
    for url in (
        reverse("plans:detail", args=[other_plan.pk]),
        reverse("plans:import", args=[other_plan.pk]),
        reverse("plans:task_create", args=[other_plan.pk]),
        reverse("plans:task", args=[task.pk]),
        reverse("plans:task_edit", args=[task.pk]),
        reverse("plans:task_progress", args=[task.pk]),
        reverse("plans:task_rating", args=[task.pk]),
    ):
        assert officer_client.get(url).status_code == 404, url
        assert officer_client.post(url, {"code": "2", "content": "X"}).status_code == 404, url


def test_dashboard_lists_overdue_tasks_of_the_scope_only(officer_client, tasks, other_plan):
    late = tasks[2]
    foreign = services.create_task(other_plan, code="1", content="Nhiệm vụ quá hạn Sở Nội vụ", deadline="Tháng 1/2023")
    response = officer_client.get(reverse("dashboard"))
    assert response.status_code == 200
    panel = response.text[response.text.index('id="overdue-tasks"') :]
    assert reverse("plans:task", args=[late.pk]) in panel
    assert reverse("plans:task", args=[tasks[1].pk]) not in panel  # done
    assert reverse("plans:task", args=[foreign.pk]) not in panel
