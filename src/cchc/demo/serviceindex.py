"""What the QĐ 766 service index reads, for the demo (idempotent): the catalogue's flags (fees integrated for online
payment, procedures eligible for a full online service), the dossiers' fees paid online or at the desk, digitised
and reused components, connection to the national portal's data store, population data, synchronisation with the
national portal, and the values of the indicators cchc cannot count (publication on time, 1.1 and 1.2) as if
imported from the national portal, month by month for every agency with dossiers.

Every value comes from a generator seeded by the dossier's code (or the agency and month), so a second build
writes nothing, and the large benchmark set gets the same kind of values through `large_row_values` (no database
reads per row). Like the large set, these are written in bulk: demo load, not a desk's history (no audit entries).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cchc.dossiers.models import ApplicantKind, Channel, Dossier, Outcome, PaymentGateway
from cchc.procedures.models import Component, Fee, OnlineService, Procedure
from cchc.serviceindex.models import ImportedFigure

from . import data
from .data import Summary

LARGE_MARK = "-L"  # build.LARGE_MARK (build imports this module): the large set gets its values as it is made
IMPORT_SOURCE = "Cổng Dịch vụ công quốc gia (số liệu minh họa của bộ dữ liệu demo)"
# A procedure whose fees are not integrated for online payment yet, one in this many.
NOT_INTEGRATED_EVERY = 5
FIRST_MONTH = dt.date(2023, 1, 1)
DOSSIER_FIELDS = (
    "fees_due",
    "fees_paid",
    "payment_gateway",
    "digitised_components",
    "reused_components",
    "national_store_linked",
    "population_data_used",
    "synced_at",
)


def _procedure_flags(agencies, summary: Summary) -> dict[int, Decimal | None]:
    """Set the catalogue's flags; returns procedure version id -> its fee (None without one)."""
    procedures = list(Procedure.objects.filter(agency__in=agencies).order_by("agency_id", "code", "effective_from"))
    fees: dict[int, Decimal] = {}
    for fee in Fee.objects.filter(procedure__in=procedures).order_by("procedure_id", "position"):
        amount = fee.amount if fee.amount is not None else Decimal(500_000)  # a rule: a typical amount
        if amount > 0:
            fees[fee.procedure_id] = fees.get(fee.procedure_id, Decimal(0)) + amount
    integrate, eligible = [], []
    for index, procedure in enumerate(procedures):
        wanted_payment = procedure.pk in fees and index % NOT_INTEGRATED_EVERY != 0
        # A partly online procedure the national database says could be fully online: one in three.
        wanted_eligible = procedure.online_service == OnlineService.PARTIAL and index % 3 == 0
        if wanted_payment and not procedure.online_payment:
            integrate.append(procedure.pk)
        if wanted_eligible and not procedure.full_online_eligible:
            eligible.append(procedure.pk)
    if integrate:
        Procedure.objects.filter(pk__in=integrate).update(online_payment=True)
        summary.add("thủ tục tích hợp thanh toán trực tuyến", len(integrate))
    if eligible:
        Procedure.objects.filter(pk__in=eligible).update(full_online_eligible=True)
        summary.add("thủ tục đủ điều kiện toàn trình", len(eligible))
    return {p.pk: fees.get(p.pk) for p in procedures}


def dossier_values(
    code: str, *, channel: int, person: bool, fee: Decimal | None, components: int, digitised: bool,
    received_at: dt.datetime, ended: bool,
) -> dict[str, Any]:  # fmt: skip
    """The service-index values of one demo dossier, from its code alone (and what it already is)."""
    rng = random.Random(f"766:{code}")
    online = channel == Channel.ONLINE
    values: dict[str, Any] = {
        "fees_due": fee,
        "fees_paid": Decimal(0),
        "payment_gateway": PaymentGateway.NOT_ONLINE,
    }
    if fee:
        paid = ended or rng.random() < 0.7  # fees are paid at receipt or, for some procedures, with the result
        values["fees_paid"] = fee if paid else Decimal(0)
        if paid:
            r = rng.random()
            if online and r < 0.75:
                values["payment_gateway"] = PaymentGateway.NATIONAL if r < 0.6 else PaymentGateway.PROVINCIAL
            elif not online and r < 0.08:
                values["payment_gateway"] = PaymentGateway.PROVINCIAL
    # The dossier's own flag says whether every component was digitised; otherwise some were.
    values["digitised_components"] = components if digitised else rng.randint(0, max(0, components - 1))
    values["reused_components"] = min(components, rng.randint(1, 2)) if components and rng.random() < 0.45 else 0
    values["national_store_linked"] = online and rng.random() < 0.55
    values["population_data_used"] = person and rng.random() < (0.8 if online else 0.35)
    values["synced_at"] = received_at + dt.timedelta(minutes=rng.randint(1, 40)) if rng.random() < 0.96 else None
    return values


def large_row_values(row: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The same kind of values for a row of the large benchmark set (demo/build.py _LargeGenerator)."""
    online = row["channel"] == Channel.ONLINE
    values: dict[str, Any] = {}
    r = rng.random()
    if r < 0.4:  # a procedure with fees
        fee = Decimal(rng.choice((100_000, 200_000, 500_000, 1_000_000)))
        values.update(fees_due=fee, fees_paid=fee)
        if online and rng.random() < 0.75:
            values["payment_gateway"] = PaymentGateway.NATIONAL if rng.random() < 0.8 else PaymentGateway.PROVINCIAL
    else:
        values["fees_due"] = Decimal(0)
    parts = rng.randint(2, 6)
    values["digitised_components"] = parts if online or rng.random() < 0.85 else rng.randint(0, parts - 1)
    values["digitised"] = values["digitised_components"] == parts
    values["reused_components"] = 1 if rng.random() < 0.45 else 0
    values["national_store_linked"] = online and rng.random() < 0.55
    values["population_data_used"] = rng.random() < 0.5
    if rng.random() < 0.96:
        values["synced_at"] = row["received_at"] + dt.timedelta(minutes=rng.randint(1, 40))
    return values


def _dossiers(agencies, fees: dict[int, Decimal | None], summary: Summary) -> None:
    components = {}
    for procedure_id in Component.objects.filter(procedure_id__in=list(fees)).values_list("procedure_id", flat=True):
        components[procedure_id] = components.get(procedure_id, 0) + 1
    rows = (
        Dossier.objects.filter(agency__in=agencies)
        .exclude(code__contains=LARGE_MARK)
        .only(
            "pk",
            "code",
            "channel",
            "applicant_kind",
            "procedure_id",
            "received_at",
            "outcome",
            "digitised",
            *DOSSIER_FIELDS,
        )  # fmt: skip
        .order_by("pk")
    )
    changed = []
    for dossier in rows.iterator(chunk_size=2000):
        wanted = dossier_values(
            dossier.code, channel=dossier.channel, fee=fees.get(dossier.procedure_id),
            person=dossier.applicant_kind in (ApplicantKind.PERSON, ApplicantKind.HOUSEHOLD_BUSINESS),
            components=components.get(dossier.procedure_id, 0), digitised=dossier.digitised,
            received_at=dossier.received_at,
            ended=dossier.outcome == Outcome.RESOLVED,
        )  # fmt: skip
        if any(getattr(dossier, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(dossier, name, value)
            changed.append(dossier)
    for start in range(0, len(changed), 1000):
        with transaction.atomic():
            Dossier.objects.bulk_update(changed[start : start + 1000], list(DOSSIER_FIELDS))
    if changed:
        summary.add("hồ sơ có số liệu chỉ số 766", len(changed))


def _months(until: dt.date) -> list[tuple[dt.date, dt.date]]:
    months, day = [], FIRST_MONTH
    while day <= until:
        following = (day + dt.timedelta(days=32)).replace(day=1)
        months.append((day, following - dt.timedelta(days=1)))
        day = following
    return months


def _imported(agencies, summary: Summary, now: dt.datetime) -> None:
    """1.1 and 1.2 month by month, for every month that has ended: a few procedures published each month, now and
    then one published or publicised late."""
    last_month_end = timezone.localtime(now).date().replace(day=1) - dt.timedelta(days=1)
    existing = set(
        ImportedFigure.objects.filter(agency__in=agencies, indicator_code__in=("1.1", "1.2")).values_list(
            "agency_id", "indicator_code", "start"
        )
    )
    new = []
    for agency in agencies:
        for start, end in _months(last_month_end):
            rng = random.Random(f"766:imported:{agency.code}:{start.isoformat()}")
            published = rng.choice((0, 0, 1, 2, 3, 4))
            if not published:
                continue
            for code, late_share in (("1.1", 0.15), ("1.2", 0.1)):
                if (agency.pk, code, start) in existing:
                    continue
                late = sum(1 for _ in range(published) if rng.random() < late_share)
                new.append(
                    ImportedFigure(
                        agency=agency, indicator_code=code, start=start, end=end, numerator=published - late,
                        denominator=published, source=IMPORT_SOURCE,
                    )
                )  # fmt: skip
    ImportedFigure.objects.bulk_create(new)
    if new:
        summary.add("số liệu chỉ số 766 nhập từ Cổng DVCQG", len(new))


def build_service_index_data(agencies: dict, summary: Summary, *, now: dt.datetime) -> None:
    """Flags, dossier values and imported values for the demo agencies that have a catalogue."""
    with_catalogue = [agencies[spec.code] for spec in data.AGENCIES if data.PROCEDURES.get(spec.code)]
    fees = _procedure_flags(with_catalogue, summary)
    _dossiers(with_catalogue, fees, summary)
    _imported(with_catalogue, summary, now)
