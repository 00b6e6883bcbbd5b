"""Audited create/update of catalogue entries, and the diacritic-insensitive search."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cchc.audit.models import AuditEntry
from cchc.audit.service import history
from cchc.procedures import services
from cchc.procedures.models import Field, Procedure


@pytest.fixture
def data(field):
    return {
        "code": "1.014389",
        "name": "Đăng ký hoạt động của tổ chức khoa học và công nghệ",
        "field": field,
        "processing_time": Decimal("15"),
        "reduced_processing_time": Decimal("10"),
        "online_service": "full",
        "effective_from": dt.date(2025, 12, 1),
    }


def test_create_procedure_saves_and_audits_the_whole_row(agency, officer, data):
    procedure = services.create_procedure(agency, data, officer)
    assert procedure.pk and procedure.agency == agency
    entry = history(procedure).get()
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == officer and entry.agency == agency
    assert entry.changes["code"] == [None, "1.014389"]
    assert entry.changes["processing_time"] == [None, "15"]
    assert entry.changes["field"] == [None, data["field"].name]


def test_update_procedure_audits_only_what_changed(agency, officer, data):
    procedure = services.create_procedure(agency, data, officer)
    stored = Procedure.objects.get(pk=procedure.pk)
    # Same values (10 and 10.0 are the same time): nothing written, nothing audited.
    services.update_procedure(stored, {**data, "reduced_processing_time": Decimal("10.0")}, officer)
    assert history(procedure).count() == 1
    other_field = Field.objects.create(name="Chuyển giao công nghệ")
    services.update_procedure(stored, {**data, "reduced_processing_time": Decimal("7"), "field": other_field}, officer)
    entry = history(procedure).first()
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {
        "reduced_processing_time": ["10", "7"],
        "field": [data["field"].name, "Chuyển giao công nghệ"],
    }
    stored.refresh_from_db()
    assert stored.reduced_processing_time == 7 and stored.field == other_field


def test_invalid_changes_are_refused_and_nothing_is_audited(agency, officer, data, procedure):
    with pytest.raises(ValidationError):
        services.create_procedure(agency, {**data, "abolished_on": dt.date(2025, 1, 1)}, officer)
    with pytest.raises(ValidationError):
        # Same agency, code and start as the existing entry.
        services.create_procedure(
            agency, {**data, "code": procedure.code, "effective_from": procedure.effective_from}, officer
        )
    assert Procedure.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_changed_fields_reports_without_saving(procedure):
    assert services.changed_fields(procedure, {"processing_time": Decimal("10.0"), "name": procedure.name}) == []
    assert services.changed_fields(procedure, {"processing_time": Decimal("12")}) == ["processing_time"]
    procedure.refresh_from_db()
    assert procedure.processing_time == 10


@pytest.mark.parametrize("query", ["dang ky", "Đăng ký", "ĐĂNG KÝ", "đang ky", "dang   KY  hoat dong", "1.0143"])
def test_search_ignores_case_and_diacritics(agency, data, query, procedure):
    services.create_procedure(agency, data, None)
    assert [p.code for p in Procedure.objects.search(query)] == ["1.014389"]


def test_search_handles_d_with_stroke_and_all_words(agency, data, procedure):
    services.create_procedure(agency, data, None)
    assert [p.code for p in Procedure.objects.search("giay phep buc xa")] == ["1.004444"]
    assert [p.code for p in Procedure.objects.search("đăng")] == ["1.014389"]
    assert list(Procedure.objects.search("dang ky buc xa")) == []
    assert Procedure.objects.search("  ").count() == 2


def test_admin_edits_are_audited(client, procedure):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "mat-khau-qt-123")
    client.force_login(admin_user)
    url = f"/admin/procedures/procedure/{procedure.pk}/change/"
    form = client.get(url).context["adminform"].form
    payload = {name: value for name, value in form.initial.items() if value is not None}
    payload.update(
        {
            "agency": procedure.agency_id,
            "field": procedure.field_id,
            "processing_time": "12",
            "effective_from": "2020-01-01",
            "one_stop": "on",
        }
    )
    response = client.post(url, payload)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = history(procedure).get()
    assert entry.actor == admin_user and entry.changes == {"processing_time": ["10", "12"]}
