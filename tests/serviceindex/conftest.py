"""A hand-counted world for the QĐ 766 index: Quý I/2023 by the calendar = 01/01/2023 – 31/03/2023.

Agencies: A = Sở KH&CN (Quảng Trị), B = Sở Nội vụ (Quảng Trị), C = Sở KH&CN Cao Bằng (another province).
Procedures of A: PF 1.000001 full online, fee 200.000 đ integrated for online payment, 2 components, a licence;
PP 1.000002 partly online but eligible for full online, a fee by rule (not integrated), 1 component, no result
named (incomplete); PN 1.000003 not online, no fee, no component, no written result; PX 1.000004 full online, no
fee, abolished from 01/02/2023 (not in the catalogue on 31/03). B: PB 2.000001 partly online, fee 50.000 đ
integrated, complete. C: PC 2.000500.

Channels: on online, di direct, po postal. fee = fees_due (None: not recorded), gw = payment gateway (1 DVCQG, 2
the province's), dig = every component digitised, res = result digitised, sup = supplement requests.

| id  | proc | received | ch | due   | ended    | outcome   | sup | other                          | counts in Q1
|-----|------|----------|----|-------|----------|-----------|-----|--------------------------------|----------------
| A1  | PF   | 20/12/22 | on | 05/01 | 04/01    | resolved  | 0   | res, synced, fee, gw 1         | carried; early
| A2  | PF   | 10/01    | on | 24/01 | 24/01    | resolved  | 0   | e-result returned, synced, fee | new; on time
|     |      |          |    |       |          |           |     | gw 1, 1 reused, store, popul.  |
| A3  | PF   | 01/02    | di | 15/02 | 20/02    | resolved  | 0   | dig, not synced, fee at desk   | new; late
| A4  | PP   | 10/02    | di | 10/03 | open     |           | 0   | national code, org.            | new; overdue
| A5  | PP   | 01/03    | on | 29/03 | open     |           | 1   | waiting since 20/03, synced,   | new; within
|     |      |          |    |       |          |           |     | gw 2, 2 reused, store          | (paused)
| A6  | PF   | 05/03    | di | 20/03 | 15/03    | resolved  | 2   | dig, res, synced, fee 0, reuse | new; 2 requests
| A7  | PN   | 31/03    | po | 14/04 | open     |           | 0   | synced, org.                   | new; within
| A8  | PN   | 01/04    | di | 17/04 | open     |           | 0   | synced                         | nothing
| A9  | PX   | 15/01    | on | 30/01 | 20/01    | refused   | 0   | synced, org.                   | new; early
| A10 | PF   | 01/11/22 | di | 15/11 | 15/12/22 | resolved  | 0   | synced                         | nothing
| A11 | PF   | 20/01    | di | 03/02 | 05/04    | resolved  | 0   | dig, synced, fee at desk, org. | new; overdue
| A12 | PF   | 28/12/22 | di | 11/01 | 11/01    | withdrawn | 0   | synced                         | carried; on time
| A13 | PN   | 05/01    | di | 19/01 | 10/01    | resolved  | 0   | dig, synced, org.              | new; early
| B1  | PB   | 02/02    | on | 10/02 | 09/02    | resolved  | 0   | res, synced, fee, gw 1, reuse, | new; early
|     |      |          |    |       |          |           |     | popul.                         |
| C1  | PC   | 02/02    | on | 16/02 | 10/02    | resolved  | 0   | synced                         | other province

"fee" is 200.000 đ (50.000 đ for B1) due and paid; A4 and A5 record no amount (their procedure charges by rule);
A6 is exempt (0). Applicants are people unless "org.". "popul." = population data used; "store" = linked to the
national portal's data store; "reuse" = one component reused.

Feedback of A: F1 received 05/01 due 19/01 answered 18/01; F2 received 01/02 due 15/02 answered 20/02 (late); F3
received 20/03 due 03/04 open; F4 received 10/12/22 due 24/12/22 answered 05/01 (late); F5 received 10/02 outside
the remit (closed 11/02); F6 received 01/11/22 answered 10/11/22. B has none.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cchc.dossiers.models import ApplicantKind, Dossier, DossierResult, PaymentGateway
from cchc.feedback.models import Feedback, Status
from cchc.procedures.models import Component, Fee, Field, Procedure
from cchc.serviceindex import prepared
from cchc.statistics.periods import parse_period

VN = ZoneInfo("Asia/Ho_Chi_Minh")
D = dt.date
Q1 = parse_period("2023-Q1", "calendar")
LATER = D(2026, 1, 1)  # "today" for a period that has ended
ON, DI, PO = 1 + 1, 1, 3
ORG = ApplicantKind.ORGANISATION
STATUS_OF = {"resolved": "resolved", "refused": "refused", "withdrawn": "withdrawn", "": "in_process"}


def local(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=VN)


def make_procedure(agency, code, field, *, components=0, fee=None, fee_rule="", abolished_on=None, **extra):
    values = {"name": f"Thủ tục {code}", "processing_time": Decimal("10"), **extra}
    procedure = Procedure.objects.create(
        agency=agency, code=code, field=field, effective_from=D(2020, 1, 1), abolished_on=abolished_on, **values
    )
    for position in range(1, components + 1):
        Component.objects.create(procedure=procedure, position=position, name=f"Giấy tờ {position} của {code}")
    if fee is not None or fee_rule:
        Fee.objects.create(procedure=procedure, position=1, name="Phí thẩm định", amount=fee, rule=fee_rule)
    return procedure


def make_dossier(code, agency, procedure, received, channel, due, ended=None, outcome="", **fields):
    paused = fields.pop("paused_at", None)
    synced = fields.pop("synced", False)
    return Dossier.objects.create(
        agency=agency,
        procedure=procedure,
        code=code,
        applicant_name=f"Chủ hồ sơ {code}",
        channel=channel,
        received_at=local(received),
        received_on=received,
        due_at=local(due, 17),
        due_date=due,
        paused_at=paused,
        status="waiting_supplement" if paused else STATUS_OF[outcome],
        ended_at=local(ended, 10) if ended else None,
        ended_on=ended,
        outcome=outcome,
        synced_at=local(received, 10) if synced else None,
        **fields,
    )


@pytest.fixture(autouse=True)
def _fresh_prepared():
    """Each test's database has its own ids: no query kept from another test."""
    prepared.forget()
    yield
    prepared.forget()


@pytest.fixture
def world(agency, other_agency, foreign_agency):
    a, b, c = agency, other_agency, foreign_agency
    field = Field.objects.create(name="Hoạt động khoa học và công nghệ")
    pf = make_procedure(
        a,
        "1.000001",
        field,
        components=2,
        fee=Decimal(200_000),
        online_service="full",
        online_payment=True,
        result_document="Giấy phép",
    )
    pp = make_procedure(
        a,
        "1.000002",
        field,
        components=1,
        fee_rule="Theo diện tích",
        online_service="partial",
        full_online_eligible=True,
    )
    pn = make_procedure(a, "1.000003", field, online_service="none", written_result=False, result_document="Văn bản")
    px = make_procedure(
        a, "1.000004", field, components=1, online_service="full", result_kind="quyet_dinh", abolished_on=D(2023, 2, 1)
    )
    pb = make_procedure(
        b,
        "2.000001",
        field,
        components=1,
        fee=Decimal(50_000),
        online_service="partial",
        online_payment=True,
        result_document="Văn bản",
    )
    pc = make_procedure(c, "2.000500", field, components=1, online_service="full", result_document="Giấy phép")
    fee = Decimal(200_000)
    g1, g2 = PaymentGateway.NATIONAL, PaymentGateway.PROVINCIAL
    y = 2023
    dossiers = {
        "A1": make_dossier(
            "A1",
            a,
            pf,
            D(2022, 12, 20),
            ON,
            D(y, 1, 5),
            D(y, 1, 4),
            "resolved",
            result_digitised=True,
            synced=True,
            fees_due=fee,
            fees_paid=fee,
            payment_gateway=g1,
        ),
        "A2": make_dossier(
            "A2",
            a,
            pf,
            D(y, 1, 10),
            ON,
            D(y, 1, 24),
            D(y, 1, 24),
            "resolved",
            synced=True,
            fees_due=fee,
            fees_paid=fee,
            payment_gateway=g1,
            reused_components=1,
            national_store_linked=True,
            population_data_used=True,
        ),
        "A3": make_dossier(
            "A3",
            a,
            pf,
            D(y, 2, 1),
            DI,
            D(y, 2, 15),
            D(y, 2, 20),
            "resolved",
            digitised=True,
            fees_due=fee,
            fees_paid=fee,
        ),
        "A4": make_dossier("A4", a, pp, D(y, 2, 10), DI, D(y, 3, 10), national_code="G-0004", applicant_kind=ORG),
        "A5": make_dossier(
            "A5",
            a,
            pp,
            D(y, 3, 1),
            ON,
            D(y, 3, 29),
            supplement_requests=1,
            paused_at=local(D(y, 3, 20), 10),
            synced=True,
            payment_gateway=g2,
            reused_components=2,
            national_store_linked=True,
        ),
        "A6": make_dossier(
            "A6",
            a,
            pf,
            D(y, 3, 5),
            DI,
            D(y, 3, 20),
            D(y, 3, 15),
            "resolved",
            supplement_requests=2,
            digitised=True,
            result_digitised=True,
            synced=True,
            fees_due=Decimal(0),
            reused_components=1,
        ),
        "A7": make_dossier("A7", a, pn, D(y, 3, 31), PO, D(y, 4, 14), synced=True, applicant_kind=ORG),
        "A8": make_dossier("A8", a, pn, D(y, 4, 1), DI, D(y, 4, 17), synced=True),
        "A9": make_dossier(
            "A9", a, px, D(y, 1, 15), ON, D(y, 1, 30), D(y, 1, 20), "refused", synced=True, applicant_kind=ORG
        ),
        "A10": make_dossier(
            "A10", a, pf, D(2022, 11, 1), DI, D(2022, 11, 15), D(2022, 12, 15), "resolved", synced=True
        ),
        "A11": make_dossier(
            "A11",
            a,
            pf,
            D(y, 1, 20),
            DI,
            D(y, 2, 3),
            D(y, 4, 5),
            "resolved",
            digitised=True,
            synced=True,
            fees_due=fee,
            fees_paid=fee,
            applicant_kind=ORG,
        ),
        "A12": make_dossier("A12", a, pf, D(2022, 12, 28), DI, D(y, 1, 11), D(y, 1, 11), "withdrawn", synced=True),
        "A13": make_dossier(
            "A13",
            a,
            pn,
            D(y, 1, 5),
            DI,
            D(y, 1, 19),
            D(y, 1, 10),
            "resolved",
            digitised=True,
            synced=True,
            applicant_kind=ORG,
        ),
        "B1": make_dossier(
            "B1",
            b,
            pb,
            D(y, 2, 2),
            ON,
            D(y, 2, 10),
            D(y, 2, 9),
            "resolved",
            result_digitised=True,
            synced=True,
            fees_due=Decimal(50_000),
            fees_paid=Decimal(50_000),
            payment_gateway=g1,
            reused_components=1,
            population_data_used=True,
        ),
        "C1": make_dossier("C1", c, pc, D(y, 2, 2), ON, D(y, 2, 16), D(y, 2, 10), "resolved", synced=True),
    }
    DossierResult.objects.create(dossier=dossiers["A2"], number="01/GP", issued_on=D(y, 1, 24), electronic=True)
    feedback = [
        ("F1", D(y, 1, 5), D(y, 1, 19), D(y, 1, 18), Status.ANSWERED),
        ("F2", D(y, 2, 1), D(y, 2, 15), D(y, 2, 20), Status.ANSWERED),
        ("F3", D(y, 3, 20), D(y, 4, 3), None, Status.PROCESSING),
        ("F4", D(2022, 12, 10), D(2022, 12, 24), D(y, 1, 5), Status.ANSWERED),
        ("F5", D(y, 2, 10), D(y, 2, 24), D(y, 2, 11), Status.NOT_IN_SCOPE),
        ("F6", D(2022, 11, 1), D(2022, 11, 15), D(2022, 11, 10), Status.ANSWERED),
    ]
    items = {
        name: Feedback.objects.create(
            agency=a,
            received_on=received,
            answer_due_on=due,
            answered_on=answered,
            status=status,
            channel="cong_dvcqg",
            subject=f"Phản ánh {name} về thời hạn giải quyết",
        )
        for name, received, due, answered, status in feedback
    }
    return {
        "a": a,
        "b": b,
        "c": c,
        "province": a.province,
        "dossiers": dossiers,
        "feedback": items,
        "procedures": {"PF": pf, "PP": pp, "PN": pn, "PX": px, "PB": pb, "PC": pc},
    }
