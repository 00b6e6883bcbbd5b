"""Look-alike procedure codes and names: cleaned before uniqueness is checked, refused when they mix scripts, on
every way a procedure is created (the form, the service, the catalogue import)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cchc.procedures import io as catalogue_io
from cchc.procedures import services
from cchc.procedures.models import Field, Procedure

HEADER = "Mã TTHC;Tên TTHC;Lĩnh vực;Thời hạn giải quyết;Hiệu lực từ"


def data(field, **changes):
    values = {
        "code": "1.004444",
        "name": "Cấp giấy phép tiến hành công việc bức xạ",
        "field": field,
        "processing_time": Decimal("10"),
        "effective_from": dt.date(2024, 1, 1),
    }
    values.update(changes)
    return values


def test_the_service_cleans_codes_and_names(agency, field, officer):
    procedure = services.create_procedure(
        agency, data(field, code="1.00444\u200b4 ", name=" Cấp\u00a0giấy phép\u2060"), officer
    )
    procedure.refresh_from_db()
    assert (procedure.code, procedure.name) == ("1.004444", "Cấp giấy phép")
    with pytest.raises(ValidationError, match="chữ số không phải 0–9"):
        services.create_procedure(agency, data(field, code="1.00444４"), officer)  # a full-width digit
    assert Procedure.objects.count() == 1


def test_the_form_refuses_a_look_alike_and_finds_the_clash_of_a_cleaned_code(client, agency, field, officer):
    services.create_procedure(agency, data(field), officer)
    client.force_login(officer)
    form = {
        "name": "Bản sao",
        "field": field.pk,
        "level": "tinh",
        "processing_time": "10",
        "time_unit": "working_days",
        "supplement_clock": "pause",
        "online_service": "none",
        "interconnection": "none",
        "one_stop": "on",
        "effective_from": "2024-01-01",
    }
    response = client.post(reverse("procedures:create"), {**form, "code": "1.004444\u200b"})
    assert response.status_code == 200
    assert "Cơ quan đã có một phiên bản của thủ tục này bắt đầu hiệu lực cùng ngày." in response.text
    response = client.post(reverse("procedures:create"), {**form, "code": "1.00444４"})
    assert "chữ số không phải 0–9" in response.text
    assert Procedure.objects.count() == 1


def test_the_import_cleans_codes_and_field_names_and_refuses_look_alikes(agency):
    content = "\r\n".join(
        [
            HEADER,
            "1.004444\u200b;Cấp phép;Bức\u200b xạ;10;01/01/2024",
            "1.004445;Gia hạn;Bức xạ ;10;01/01/2024",
            "1.00444６;Khai báo;Bức xạ;5;01/01/2024",
        ]
    ).encode("utf-8")
    result = catalogue_io.import_catalogue(content, agency, filename="a.csv")
    assert result.created == 2
    assert [(row, "chữ số không phải 0–9" in message) for row, message in result.errors] == [(4, True)]
    assert sorted(Procedure.objects.values_list("code", flat=True)) == ["1.004444", "1.004445"]
    assert list(Field.objects.values_list("name", flat=True)) == ["Bức xạ"]
