"""Plans and tasks through their services: validation, audit, progress, rating overrides, counts, overdue tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cchc.agencies.scoping import visible_agencies
from cchc.audit.models import AuditEntry
from cchc.audit.service import history
from cchc.plans import services
from cchc.plans.models import PlanKind, Task, TaskUpdate
from cchc.plans.rating import Progress, Rating

D = dt.date


def add(plan, code, content=None, parent=None, deadline="Quý II/2023", **kwargs) -> Task:
    return services.create_task(
        plan, code=code, content=content or f"Nhiệm vụ {code}", parent=parent, deadline=deadline, **kwargs
    )


def done(task, on, actor=None, **kwargs):
    return services.record_progress(task, "Đã hoàn thành", Progress.DONE, completed_on=on, actor=actor, on=on, **kwargs)


# --- plans and tasks ------------------------------------------------------------------------------------------


def test_create_plan_is_audited(plan, officer):
    entry = history(plan).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == officer and entry.agency_id == plan.agency_id
    assert entry.changes["document_text"] == "Kế hoạch số 151/KH-SKHCN ngày 23/12/2022"
    assert plan.created_by == officer


@pytest.mark.parametrize(("field", "value"), [("title", "  "), ("year", 1800), ("kind", "unknown")])
def test_create_plan_rejects_bad_input(agency, field, value):
    data = {"kind": PlanKind.ISO, "year": 2023, "title": "Kế hoạch ISO năm 2023", field: value}
    with pytest.raises(ValidationError) as error:
        services.create_plan(agency, **data)
    assert field in error.value.message_dict


def test_plan_can_reference_a_registered_document(agency, officer):
    from cchc.documents.models import Document, DocumentKind

    document = Document.objects.create(
        agency=agency, kind=DocumentKind.KE_HOACH, number="151", symbol="KH-SKHCN", issue_date=D(2022, 12, 23)
    )
    plan = services.create_plan(
        agency, kind=PlanKind.CCHC_ANNUAL, year=2023, title="KH CCHC 2023", document=document, actor=officer
    )
    assert plan.document_label == "Kế hoạch 151/KH-SKHCN"


def test_update_plan_records_the_changed_fields(plan, officer):
    services.update_plan(plan, officer, title="Kế hoạch CCHC năm 2023 (sửa đổi)")
    entry = history(plan).first()
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {"title": ["Kế hoạch cải cách hành chính năm 2023", "Kế hoạch CCHC năm 2023 (sửa đổi)"]}
    services.update_plan(plan, officer, title="Kế hoạch CCHC năm 2023 (sửa đổi)")
    assert history(plan).count() == 2  # no change, no entry


def test_hierarchy_codes_are_unique_under_their_parent(plan):
    group = add(plan, "I.", "Cải cách thể chế", deadline=None)
    assert group.code == "I"
    one = add(plan, "1", parent=group)
    add(plan, "1.1", parent=one)
    add(plan, "a)", parent=one)
    other_group = add(plan, "II", "Cải cách TTHC", deadline=None)
    add(plan, "1", parent=other_group)  # the same code under another group is fine
    with pytest.raises(ValidationError) as error:
        add(plan, "1", parent=group)
    assert "đã có" in error.value.message_dict["code"][0]
    with pytest.raises(ValidationError):
        add(plan, "I", "Trùng mục lớn", deadline=None)
    assert [t.code for t in plan.tasks.all()] == ["I", "1", "1.1", "a", "II", "1"]


def test_database_refuses_duplicate_codes_at_the_top_level(plan):
    add(plan, "I", deadline=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(plan=plan, code="I", content="Bản sao")


def test_task_stores_its_deadline_and_audits_creation(plan, office, division, officer):
    task = add(
        plan,
        "1",
        deadline="Quý II/2023",
        lead_unit=office,
        cooperating_units=[division],
        actor=officer,
        volume="03 doanh nghiệp được hỗ trợ",
    )
    task.refresh_from_db()
    assert (task.deadline_kind, task.deadline_year, task.deadline_part, task.due_date) == (
        "quarter",
        2023,
        2,
        D(2023, 6, 30),
    )
    assert task.deadline.label() == "Quý II/2023" and task.lead_text == "Văn phòng"
    entry = history(task).get()
    assert entry.agency_id == plan.agency_id and entry.actor == officer
    assert entry.changes["cooperating_units"] == ["Phòng Quản lý công nghệ"]


def test_task_rejects_units_and_parents_from_elsewhere(plan, other_plan, other_agency):
    from cchc.agencies.models import Unit

    stranger = Unit.objects.create(agency=other_agency, name="Phòng Cải cách hành chính")
    with pytest.raises(ValidationError) as error:
        add(plan, "1", lead_unit=stranger)
    assert "lead_unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        add(plan, "2", cooperating_units=[stranger])
    assert "cooperating_units" in error.value.message_dict
    foreign_parent = add(other_plan, "I", deadline=None)
    with pytest.raises(ValidationError) as error:
        add(plan, "1", parent=foreign_parent)
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        add(plan, "3", content="   ")
    assert "content" in error.value.message_dict


def test_update_task_reparses_the_deadline_and_refuses_cycles(plan, officer):
    group = add(plan, "I", deadline=None)
    task = add(plan, "1", parent=group)
    task = services.update_task(task, officer, deadline="Tháng 9/2023", volume="02 báo cáo")
    assert task.due_date == D(2023, 9, 30)
    entry = history(task).first()
    assert entry.changes["deadline_text"] == ["Quý II/2023", "Tháng 9/2023"]
    assert entry.changes["volume"] == ["", "02 báo cáo"]
    with pytest.raises(ValidationError):
        services.update_task(group, officer, parent=task)
    with pytest.raises(TypeError):
        services.update_task(task, officer, progress=Progress.DONE)  # progress only through record_progress


# --- progress and rating --------------------------------------------------------------------------------------


def test_record_progress_keeps_history_and_audit(plan, officer):
    task = add(plan, "1", deadline="Tháng 6/2023")
    services.record_progress(task, "Đã xây dựng dự thảo", Progress.IN_PROGRESS, actor=officer, on=D(2023, 5, 10))
    update = done(task, D(2023, 6, 30), actor=officer, result="Kế hoạch số 12/KH-SKHCN ngày 30/6/2023")
    task.refresh_from_db()
    assert (task.progress, task.completed_on, task.result) == (
        Progress.DONE,
        D(2023, 6, 30),
        "Kế hoạch số 12/KH-SKHCN ngày 30/6/2023",
    )
    assert task.rating_proposed == Rating.GOOD
    assert [u.progress for u in task.updates.all()] == [Progress.DONE, Progress.IN_PROGRESS]
    assert update.actor == officer
    transitions = history(task).filter(action=AuditEntry.Action.TRANSITION)
    assert transitions.count() == 2
    assert transitions.first().changes["completed_on"] == [None, "2023-06-30"]
    # Re-opened: the completion date goes away and the proposal with it.
    services.record_progress(task, "Phải sửa lại", Progress.IN_PROGRESS, actor=officer)
    task.refresh_from_db()
    assert task.completed_on is None and task.rating_proposed == Rating.NOT_DONE


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"progress": "finished"}, "progress"),
        ({"text": "  "}, "text"),
        ({"progress": Progress.IN_PROGRESS, "completed_on": D(2023, 5, 1)}, "completed_on"),
        ({"completed_on": D(2999, 1, 1)}, "completed_on"),
        ({"on": D(2999, 1, 1)}, "on"),
    ],
)
def test_record_progress_rejects_bad_input(plan, kwargs, field):
    task = add(plan, "1")
    data = {"text": "Cập nhật", "progress": Progress.DONE, **kwargs}
    with pytest.raises(ValidationError) as error:
        services.record_progress(task, **data)
    assert field in error.value.message_dict
    assert not TaskUpdate.objects.exists()


def test_a_group_heading_has_no_progress_of_its_own(plan):
    group = add(plan, "I", deadline=None)
    add(plan, "1", parent=group)
    with pytest.raises(ValidationError) as error:
        done(group, D(2023, 3, 1))
    assert "nhóm nhiệm vụ" in error.value.message_dict["progress"][0]


def test_override_needs_a_reason(plan, officer):
    task = add(plan, "1", deadline="Tháng 6/2023")
    done(task, D(2023, 7, 5))
    with pytest.raises(ValidationError) as error:
        services.set_rating(task, Rating.GOOD, "  ", officer)
    assert "lý do" in error.value.message_dict["rating_reason"][0]
    assert "Hoàn thành chậm" in error.value.message_dict["rating_reason"][0]
    task = services.set_rating(task, Rating.GOOD, "Chậm do UBND tỉnh lùi thời hạn (Công văn 553/UBND-TH)", officer)
    assert (task.rating, task.effective_rating) == (Rating.GOOD, Rating.GOOD)
    entry = history(task).first()
    assert entry.actor == officer and entry.changes["rating"] == ["", Rating.GOOD]


def test_choosing_the_proposal_removes_the_override(plan, officer):
    task = add(plan, "1", deadline="Tháng 6/2023")
    services.set_rating(task, Rating.DONE, "Nội dung còn thiếu báo cáo quý", officer)
    task = services.set_rating(task, Rating.NOT_DONE, "", officer)
    assert (task.rating, task.rating_reason, task.effective_rating) == ("", "", Rating.NOT_DONE)
    with pytest.raises(ValidationError):
        services.set_rating(task, "excellent", "?", officer)


def test_database_refuses_an_override_without_reason(plan):
    task = add(plan, "1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(rating=Rating.GOOD)


# --- figures --------------------------------------------------------------------------------------------------


def test_fraction_padding():
    assert services.fraction(7, 9) == "07/09"
    assert services.fraction(9, 38) == "09/38"
    assert services.fraction(9, 38, pad=False) == "9/38"
    assert services.fraction(12, 120) == "12/120"


def test_plan_summary_counts_leaf_tasks_as_of_a_date(plan, officer):
    group = add(plan, "I", "Cải cách thể chế", deadline=None)
    on_time = add(plan, "1", parent=group, deadline="Tháng 3/2023")
    late = add(plan, "2", parent=group, deadline="Tháng 3/2023")
    incomplete = add(plan, "3", parent=group, deadline="Quý II/2023")
    overdue = add(plan, "4", parent=group, deadline="Quý I/2023")
    add(plan, "5", parent=group, deadline="Quý IV/2023")
    overridden = add(plan, "6", parent=group, deadline="Tháng 3/2023")
    done(on_time, D(2023, 3, 31))
    done(late, D(2023, 4, 3))
    done(incomplete, D(2023, 5, 1))
    services.update_task(incomplete, officer, content_complete=False)
    done(overridden, D(2023, 4, 10))
    services.set_rating(overridden, Rating.GOOD, "Lùi hạn theo chỉ đạo của UBND tỉnh", officer)

    summary = services.plan_summary(plan, as_of=D(2023, 6, 30))
    assert (summary.total, summary.done, summary.done_on_time, summary.done_late) == (6, 4, 2, 2)
    assert (summary.not_done, summary.overdue) == (2, 1)
    assert summary.by_rating == {Rating.GOOD: 2, Rating.DONE: 1, Rating.LATE: 1, Rating.NOT_DONE: 2}
    assert summary.done_text() == "04/06" and summary.done_text(pad=False) == "4/6"
    assert summary.rating_text(Rating.GOOD) == "02/06"

    # At the end of the first quarter only the first task was done; the others were not (yet).
    early = services.plan_summary(plan, as_of=D(2023, 3, 31))
    assert (early.done, early.not_done, early.overdue) == (1, 5, 0)
    assert early.by_rating[Rating.NOT_DONE] == 5
    assert overdue.pk in services.overdue_tasks(plan.agency, D(2023, 6, 30)).values_list("pk", flat=True)


def test_overdue_tasks_are_scoped_by_agency(plan, other_plan, make_user, agency, other_agency, foreign_agency):
    mine = add(plan, "1", deadline="Quý I/2023")
    add(plan, "2", deadline="Quý IV/2023")  # not due yet
    finished = add(plan, "3", deadline="Quý I/2023")
    done(finished, D(2023, 3, 20))
    late_finished = add(plan, "4", deadline="Quý I/2023")
    done(late_finished, D(2023, 5, 20))
    theirs = add(other_plan, "1", deadline="Tháng 1/2023")
    group = add(plan, "I", deadline="Quý I/2023")  # a heading with a deadline is not itself a task
    add(plan, "1", parent=group, deadline="Quý IV/2023")

    as_of = D(2023, 4, 15)
    assert list(services.overdue_tasks(agency, as_of)) == [mine, late_finished]
    assert list(services.overdue_tasks([agency, other_agency], as_of)) == [theirs, mine, late_finished]
    assert list(services.overdue_tasks(agency, D(2023, 6, 1))) == [mine]

    officer = make_user("canbo", agency, "officer")
    assert list(services.overdue_tasks(visible_agencies(officer), as_of)) == [mine, late_finished]
    outsider = make_user("caobang", foreign_agency, "officer")
    assert not services.overdue_tasks(visible_agencies(outsider), as_of).exists()
    aggregator = make_user("tonghop", other_agency, "aggregator")
    assert services.overdue_tasks(visible_agencies(aggregator), as_of).count() == 3


# --- admin ----------------------------------------------------------------------------------------------------


def test_admin_edits_the_deadline_as_written_and_audits(plan, admin_client):
    task = add(plan, "1", deadline="Quý II/2023")
    assert admin_client.get(f"/admin/plans/plan/{plan.pk}/change/").status_code == 200
    assert admin_client.get("/admin/plans/task/").status_code == 200
    response = admin_client.post(
        f"/admin/plans/task/{task.pk}/change/",
        {
            "plan": plan.pk,
            "code": "1",
            "order": 1,
            "content": "Nhiệm vụ 1",
            "deadline_text": "Tháng 9/2023",
            "progress": Progress.NOT_STARTED,
            "content_complete": "on",
            "updates-TOTAL_FORMS": 0,
            "updates-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task.refresh_from_db()
    assert (task.deadline_kind, task.due_date, task.deadline_text) == ("month", D(2023, 9, 30), "Tháng 9/2023")
    assert history(task).first().changes == {"deadline_text": "Tháng 9/2023"}
