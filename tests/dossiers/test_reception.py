"""Reception with the procedure's checklist and fees: the service (one transaction, audited, refused when a mandatory
component is missing), the receive page with and without JavaScript, identity numbers, the look-up of an applicant's
earlier details (only in the user's agency, rate-limited) and the procedure picker ("dang ky", "đ")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.audit.models import AuditEntry
from cchc.dossiers import reception
from cchc.dossiers.models import Dossier, FeePayment, ReceivedComponent
from cchc.procedures.models import Component, Fee, Procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(procedure):
    request = Component.objects.create(procedure=procedure, position=1, name="Đơn đề nghị", originals=1, copies=0)
    licence = Component.objects.create(
        procedure=procedure, position=2, name="Bản sao giấy phép cũ", originals=0, copies=1, mandatory=False
    )
    fee = Fee.objects.create(
        procedure=procedure, position=1, kind="le_phi", name="Lệ phí cấp giấy phép", amount=Decimal(1500000)
    )
    return {"procedure": procedure, "request": request, "licence": licence, "fee": fee}


def _post(catalogue, **extra):
    c = catalogue
    data = {
        "procedure": str(c["procedure"].pk),
        "checklist_for": str(c["procedure"].pk),
        "applicant_kind": "person",
        "applicant_name": "Nguyễn Thị Hoa",
        "applicant_id_number": "044190000123",
        "channel": "1",
        "result_channel": "1",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        f"tp_{c['request'].pk}_nhan": "on",
        f"tp_{c['request'].pk}_ban_chinh": "1",
        f"tp_{c['request'].pk}_ban_sao": "0",
        f"tp_{c['request'].pk}_so_hoa": "on",
        f"tp_{c['licence'].pk}_ban_chinh": "0",
        f"tp_{c['licence'].pk}_ban_sao": "1",
        f"phi_{c['fee'].pk}_thu": "on",
        f"phi_{c['fee'].pk}_so_tien": "1.500.000",
        f"phi_{c['fee'].pk}_bien_lai": "BL-0042",
        f"phi_{c['fee'].pk}_hinh_thuc": "quay",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


# --- identity numbers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "number", "ok"),
    [
        ("person", "044190000123", True),
        ("person", "04419000012", False),
        ("person", "0123456789", False),
        ("organisation", "0123456789", True),
        ("organisation", "0123456789-001", True),
        ("organisation", "0123456789001", True),
        ("organisation", "012345678", False),
        ("household", "044190000123", True),
        ("household", "0123456789", True),
        ("household", "12ab", False),
    ],
)
def test_identity_numbers(kind, number, ok):
    assert (reception.identity_problem(kind, number) is None) is ok
    assert reception.normalise_identity("0123 456789 001") == "0123456789-001"


# --- the service ---------------------------------------------------------------------------------------------


def test_receive_writes_the_checklist_and_the_fees_in_one_audited_step(catalogue, one_stop_staff, agency):
    c = catalogue
    dossier = reception.receive(
        agency=agency,
        procedure=c["procedure"],
        applicant_name="Nguyễn Thị Hoa",
        channel=1,
        actor=one_stop_staff,
        handed_in=[reception.HandedIn(c["request"], True, 1, 0, True), reception.HandedIn(c["licence"], False)],
        collected=[reception.Collected(c["fee"], Decimal(1500000), "BL-1", paid_online=True)],
    )
    assert list(dossier.received_components.values_list("name", "originals", "copies", "digitised")) == [
        ("Đơn đề nghị", 1, 0, True)
    ]
    payment = dossier.fee_payments.get()
    assert (payment.amount, payment.receipt_number, payment.paid_online, payment.recorded_by) == (
        Decimal(1500000),
        "BL-1",
        True,
        one_stop_staff,
    )
    assert dossier.digitised  # every received paper was digitised
    entry = AuditEntry.objects.get(object_id=str(dossier.pk), action=AuditEntry.Action.UPDATE)
    assert "1.500.000 đồng" in entry.changes["fee_payments"][0]


def test_a_missing_mandatory_component_blocks_the_receipt_and_saves_nothing(catalogue, one_stop_staff, agency):
    c = catalogue
    with pytest.raises(reception.MissingComponents) as caught:
        reception.receive(
            agency=agency,
            procedure=c["procedure"],
            applicant_name="Hoa",
            channel=1,
            actor=one_stop_staff,
            handed_in=[reception.HandedIn(c["request"], False)],
        )
    assert "Đơn đề nghị" in caught.value.messages[0] and "Phiếu yêu cầu bổ sung" in caught.value.messages[0]
    assert not Dossier.objects.exists() and not ReceivedComponent.objects.exists()


# --- the page ----------------------------------------------------------------------------------------------


def test_the_page_receives_with_checklist_and_fees(client, catalogue, one_stop_staff):
    client.force_login(one_stop_staff)
    plain = client.get(reverse("dossiers:receive"))
    assert plain.status_code == 200 and "Đơn đề nghị" not in plain.content.decode()
    page = client.get(reverse("dossiers:receive") + f"?thu_tuc={catalogue['procedure'].pk}").content.decode()
    assert "Đơn đề nghị" in page and 'value="1.500.000"' in page and "autofocus" in page
    response = client.post(reverse("dossiers:receive"), _post(catalogue))
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get()
    assert dossier.applicant_id_number == "044190000123"
    assert dossier.received_components.count() == 1
    assert dossier.fee_payments.get().receipt_number == "BL-0042"
    shown = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Thành phần hồ sơ đã nhận" in shown and "1.500.000 đồng" in shown and "BL-0042" in shown


def test_the_page_refuses_a_missing_mandatory_component_and_keeps_what_was_typed(client, catalogue, one_stop_staff):
    client.force_login(one_stop_staff)
    data = _post(catalogue, **{f"tp_{catalogue['request'].pk}_nhan": None})
    html = client.post(reverse("dossiers:receive"), data).content.decode()
    assert "Chưa đủ thành phần hồ sơ bắt buộc: “Đơn đề nghị”" in html
    assert 'value="Nguyễn Thị Hoa"' in html and 'value="BL-0042"' in html
    assert not Dossier.objects.exists() and not FeePayment.objects.exists()


def test_without_javascript_choosing_a_procedure_first_shows_its_checklist(client, catalogue, one_stop_staff):
    client.force_login(one_stop_staff)
    html = client.post(reverse("dossiers:receive"), _post(catalogue, checklist_for="")).content.decode()
    assert not Dossier.objects.exists()
    assert "Đánh dấu các thành phần hồ sơ đã nhận" in html
    assert f'name="checklist_for" value="{catalogue["procedure"].pk}"' in html


def test_a_bad_identity_number_is_refused(client, catalogue, one_stop_staff):
    client.force_login(one_stop_staff)
    html = client.post(reverse("dossiers:receive"), _post(catalogue, applicant_id_number="12345")).content.decode()
    assert "gồm đúng 12 chữ số" in html and not Dossier.objects.exists()


def test_the_checklist_fragment_and_another_agencys_procedure(client, catalogue, one_stop_staff, other_agency, field):
    client.force_login(one_stop_staff)
    url = reverse("dossiers:reception_checklist")
    html = client.get(url, {"procedure": catalogue["procedure"].pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "Đơn đề nghị" in html and "bắt buộc" in html
    foreign = Procedure.objects.create(
        agency=other_agency,
        code="2.000001",
        name="Thủ tục khác",
        field=field,
        processing_time=5,
        effective_from=dt.date(2020, 1, 1),
    )
    Component.objects.create(procedure=foreign, position=1, name="Giấy tờ của sở khác")
    html = client.get(url, {"procedure": foreign.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "Giấy tờ của sở khác" not in html
    response = client.post(reverse("dossiers:receive"), {**_post(catalogue), "procedure": str(foreign.pk)})
    assert "Thủ tục không thuộc danh mục" in response.content.decode() and not Dossier.objects.exists()


def test_a_viewer_cannot_receive_or_look_up(client, viewer):
    client.force_login(viewer)
    for name in ("dossiers:receive", "dossiers:reception_applicant", "dossiers:reception_procedures"):
        assert client.get(reverse(name)).status_code == 403
    client.logout()
    assert client.get(reverse("dossiers:reception_applicant")).status_code == 302  # to the log-in page


# --- applicant look-up -----------------------------------------------------------------------------------------


def test_the_lookup_offers_earlier_details_of_this_agency_only(
    client, procedure, one_stop_staff, other_agency, make_user, field
):
    from cchc.dossiers import lifecycle

    lifecycle.receive(
        agency=procedure.agency,
        procedure=procedure,
        applicant_name="Trần Văn Bình",
        channel=1,
        actor=None,
        applicant_id_number="044190000777",
        applicant_address="12 Lê Lợi, Đông Hà",
        applicant_phone="0912345678",
    )
    foreign = Procedure.objects.create(
        agency=other_agency,
        code="2.000001",
        name="Thủ tục khác",
        field=field,
        processing_time=5,
        effective_from=dt.date(2020, 1, 1),
    )
    lifecycle.receive(
        agency=other_agency,
        procedure=foreign,
        applicant_name="Người ở sở khác",
        channel=1,
        actor=None,
        applicant_id_number="044190000888",
    )
    client.force_login(one_stop_staff)
    url = reverse("dossiers:reception_applicant")
    html = client.get(url, {"applicant_id_number": "0441 9000 0777"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Trần Văn Bình" in html and "12 Lê Lợi, Đông Hà" in html and "Dùng thông tin này" in html
    assert "<html" not in html
    assert (
        "Người ở sở khác"
        not in client.get(url, {"applicant_id_number": "044190000888"}, HTTP_HX_REQUEST="true").content.decode()
    )
    client.force_login(make_user("snv.motcua", other_agency, "one_stop"))
    assert "Trần Văn Bình" not in client.get(url, {"applicant_id_number": "044190000777"}).content.decode()


def test_the_lookup_is_rate_limited(client, one_stop_staff):
    client.force_login(one_stop_staff)
    url = reverse("dossiers:reception_applicant")
    codes = [
        client.get(url, {"applicant_id_number": f"0441900{i:05d}"}, HTTP_HX_REQUEST="true").status_code
        for i in range(32)
    ]
    assert codes[:30] == [200] * 30 and codes[30:] == [429, 429]


# --- procedure picker ---------------------------------------------------------------------------------------


def test_the_picker_finds_without_diacritics_and_by_code(client, agency, field, one_stop_staff, other_agency):
    for code, name, owner in [
        ("1.000001", "Đăng ký hoạt động tổ chức khoa học", agency),
        ("1.000002", "Cấp giấy phép bức xạ", agency),
        ("1.000003", "Đăng ký của sở khác", other_agency),
    ]:
        Procedure.objects.create(
            agency=owner, code=code, name=name, field=field, processing_time=5, effective_from=dt.date(2020, 1, 1)
        )
    client.force_login(one_stop_staff)
    url = reverse("dossiers:reception_procedures")

    def found(q):
        return client.get(url, {"q": q}, HTTP_HX_REQUEST="true").content.decode()

    assert "Đăng ký hoạt động" in found("dang ky") and "bức xạ" not in found("dang ky")
    assert "Đăng ký của sở khác" not in found("dang ky")
    assert "Đăng ký hoạt động" in found("đăng") and "Đăng ký hoạt động" in found("Đ")
    assert "bức xạ" in found("1.000002") and "bức xạ" in found("buc xa")
    assert "Không có thủ tục nào khớp" in found("khong co gi")
    page = client.get(url, {"q": "dang ky"}).content.decode()  # without JavaScript: a page of links
    assert "<html" in page and "?thu_tuc=" in page
