"""Every object's history reads as a person would say it: field labels, choice labels, dates, lists; whatever shape
the audit entry's changes were stored in (pairs from an edit, a snapshot from a creation or an import)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from cchc.audit import service as audit
from cchc.audit import timeline
from cchc.audit.models import AuditEntry
from cchc.plans.models import Plan, PlanKind, Task

pytestmark = pytest.mark.django_db


def test_snapshot_of_a_creation_and_pairs_of_an_edit_both_open_the_procedure_page(procedure, officer):
    """The demo and the importer record a creation as a snapshot {field: value}; the page used to unpack every
    value as an (old, new) pair and answered 500 on every demo procedure."""
    audit.record(procedure, officer, AuditEntry.Action.CREATE, changes=audit.snapshot(procedure), summary="Nhập")
    audit.record(
        procedure,
        officer,
        AuditEntry.Action.UPDATE,
        changes={"online_service": ["partial", "full"], "processing_time": ["15", "10.5"]},
    )
    client = Client()
    client.force_login(officer)
    page = client.get(f"/thu-tuc/{procedure.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dịch vụ công trực tuyến" in html
    assert "10,5" in html
    assert "partial" not in html and "full</ins>" not in html


def test_choice_codes_lists_and_dates_are_shown_in_words(agency, officer):
    plan = Plan.objects.create(agency=agency, kind=PlanKind.CCHC_ANNUAL, year=2023, title="Kế hoạch CCHC năm 2023")
    task = Task.objects.create(plan=plan, code="1", order=1, content="Rà soát thủ tục")
    audit.record(
        task,
        officer,
        AuditEntry.Action.TRANSITION,
        changes={"progress": ["not_started", "in_progress"], "completed_on": [None, "2023-03-01"]},
        agency=agency.pk,
    )
    audit.record(task, officer, AuditEntry.Action.UPDATE, changes={"evidence": [[], ["Kế hoạch 14/KH-SKHCN"]]},
                 agency=agency.pk)
    rows = {row.label: row for entry in timeline.entries(task) for row in entry.changes}
    assert (rows["Tiến độ"].old, rows["Tiến độ"].new) == ("Chưa thực hiện", "Đang thực hiện")
    assert rows["Ngày hoàn thành"].new == "01/03/2023"
    assert rows["Văn bản kiểm chứng"].new == "Kế hoạch 14/KH-SKHCN"
    client = Client()
    client.force_login(officer)
    html = client.get(f"/ke-hoach/nhiem-vu/{task.pk}/").content.decode()
    assert "not_started" not in html and "[&#x27;" not in html
    assert "Đang thực hiện" in html


def test_keys_that_are_not_fields_stay_out_and_the_actor_has_a_name(agency, officer):
    officer.first_name = "Trần Thị Thu Hà"  # Vietnamese names are kept whole, family name first
    officer.save()
    plan = Plan.objects.create(agency=agency, kind=PlanKind.CCHC_ANNUAL, year=2024, title="Kế hoạch")
    audit.record(plan, officer, AuditEntry.Action.IMPORT, changes={"created": 4, "rows": [2, 6]}, summary="Nhập 4")
    audit.record(plan, None, AuditEntry.Action.UPDATE, changes={"year": [2023, 2024]})
    newest, oldest = timeline.entries(plan)
    assert oldest.title == "Nhập 4" and oldest.changes == []
    assert oldest.actor == "Trần Thị Thu Hà"
    assert newest.actor == "Hệ thống" and newest.title == "Cập nhật"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(None, "—"), ("", "—"), ([], "—"), (True, "Có"), (False, "Không"), ("x" * 500, "x" * 239 + "…")],
)
def test_plain_values(value, shown):
    assert timeline.display_value(None, value) == shown


def test_an_aware_moment_is_shown_in_local_time():
    field = AuditEntry._meta.get_field("at")
    moment = dt.datetime(2023, 3, 1, 1, 30, tzinfo=dt.UTC).isoformat()
    assert timeline.display_value(field, moment) == "01/03/2023 08:30"
