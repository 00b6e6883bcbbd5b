"""What each indicator counts: for the dossier indicators, two conditions over the dossier table, `base` (the
denominator) and `good` (what the numerator adds), so that the numerator is base & good and the dossiers that cost
points are base & ~good, by construction the same rows in the counts and in the lists.

The conditions are built on cchc.statistics.classification (the Biểu 06 classification): "received in the period",
"carried over", "resolved early / on time / late" and "in progress within / overdue" are its conditions, read as of
`today` for a period that has not ended, exactly as the dashboard and the reports read them. Where QĐ 766 differs
(more than one supplement request is late; a calendar period) it is one extra condition here, written down in
docs/service-index.md.

The catalogue indicators (1.3, 3.1, 3.2, 3.5, 3.5b) count procedures in force on the period's last counted day
(one row per agency and code, statistics.service.procedures_in_force); 4.5b counts procedure codes with dossiers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from cchc.dossiers.models import ApplicantKind, Channel, DossierResult, Outcome, PaymentGateway
from cchc.procedures.models import Component, Fee, OnlineService
from cchc.statistics import classification, periods
from cchc.statistics.periods import Period

from .models import Measure
from .parameters import Indicator

ONLINE_PAID = (PaymentGateway.NATIONAL, PaymentGateway.PROVINCIAL)
PEOPLE = (ApplicantKind.PERSON, ApplicantKind.HOUSEHOLD_BUSINESS)
DEFAULT_SUPPLEMENTS = 1


@dataclass(frozen=True)
class Window:
    """A period as counted on `today`: up to its end, or up to today while it runs (classification.cutoff)."""

    period: Period
    today: dt.date

    @classmethod
    def of(cls, period: Period, today: dt.date | None = None) -> Window:
        return cls(period, today if today is not None else periods.today())

    @classmethod
    def between(cls, start: dt.date, last: dt.date) -> Window:
        """The window of the days start..last, as counted on its last day (prepared queries build with these)."""
        return cls(periods.date_range(start, last), last)

    @property
    def last(self) -> dt.date:
        return classification.cutoff(self.period, self.today)

    def conditions(self) -> dict[str, Q]:
        return classification.conditions(self.period, today=self.today)

    def relevant(self) -> Q:
        return classification.relevant(self.period, today=self.today)


# --- shared pieces ------------------------------------------------------------------------------------------------


def received_in(w: Window) -> Q:
    """Newly received in the period (Biểu 06 columns 4 + 5, the 766 indicators' "NgayTiepNhan in the period"):
    classification's received_online | received_direct | received_postal, written as the one range they share
    (every dossier has one of the three channels; tests hold the two equal)."""
    g = classification.DATE
    return Q(**{f"{g.received}__gte": w.period.start, f"{g.received}__lte": w.last})


def ended_in(w: Window) -> Q:
    """Ended in the period: classification's resolved_early | resolved_on_time | resolved_late as one range."""
    g = classification.DATE
    return Q(**{f"{g.ended}__gte": w.period.start, f"{g.ended}__lte": w.last})


def on_time(c: dict[str, Q], max_supplements: int) -> Q:
    """Resolved early or on time, or in progress within the deadline (a dossier waiting for a supplement asked on
    or before its due day included, as QĐ 766 ends it at the request), and not asked to supplement more often than
    allowed (QĐ 766: more than one request is late). The denominator is every dossier the period counts (received
    in it or carried over into it, Biểu 06 column 3): classification.relevant(), the rows the query reads."""
    timely = c["resolved_early"] | c["resolved_on_time"] | c["in_progress_within"]
    return timely & Q(supplement_requests__lte=max_supplements)


def max_supplements(indicator: Indicator) -> int:
    return int(indicator.option("max_supplement_requests", DEFAULT_SUPPLEMENTS))


def resolved_in(w: Window) -> Q:
    """Ended in the period with a result (refusals and withdrawals have none)."""
    return ended_in(w) & Q(outcome=Outcome.RESOLVED)


def electronic_result() -> Q:
    """A result with legal value in electronic form: digitised when resolved, or returned as an electronic result
    (the desk's return, issue 9). An IN over the electronic results rather than a correlated EXISTS: PostgreSQL
    hashes it once, where Django's EXISTS (with its LIMIT 1) is costed per row, which set off JIT compilation
    (5 s instead of 0.5 s at 100,000 dossiers)."""
    returned_electronic = DossierResult.objects.filter(electronic=True).values("dossier_id")
    return Q(result_digitised=True) | Q(pk__in=returned_electronic)


def charging_fee() -> Q:
    """A fee row that charges something: a fixed amount above 0, or a rule when the amount depends on the case."""
    return Q(amount__gt=0) | (Q(amount__isnull=True) & ~Q(rule=""))


def fee_versions():
    """Procedure versions with a fee or charge."""
    return Fee.objects.filter(charging_fee()).values("procedure_id")


def obligation() -> Q:
    """A financial obligation: a positive amount due or paid, or no amount recorded and a procedure with fees."""
    return Q(fees_due__gt=0) | Q(fees_paid__gt=0) | (Q(fees_due__isnull=True) & Q(procedure_id__in=fee_versions()))


def synced() -> Q:
    return Q(synced_at__isnull=False) | ~Q(national_code="")


def eligible_full_online() -> Q:
    return Q(procedure__online_service=OnlineService.FULL) | Q(procedure__full_online_eligible=True)


# --- the dossier indicators ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counted:
    """The two conditions of a dossier indicator, with keys: indicators sharing a key share one count (1.4, 3.3,
    4.2 ... all count the dossiers received in the period). An empty base is every row the period counts."""

    base_key: str
    base: Q
    good_key: str
    good: Q


Conditions = Callable[[Window, Indicator], Counted]
RECEIVED = "received"
ALL = "all"


def _received(good_key: str, good: Q) -> Callable[[Window, Indicator], Counted]:
    return lambda w, i: Counted(RECEIVED, received_in(w), good_key, good)


def _on_time(w: Window, i: Indicator) -> Counted:
    n = max_supplements(i)
    return Counted(ALL, Q(), f"on_time:{n}", on_time(w.conditions(), n))


def _full_online(w: Window, i: Indicator) -> Counted:
    good = Q(channel=Channel.ONLINE) & Q(procedure__online_service=OnlineService.FULL)
    return Counted("eligible_full_online", received_in(w) & eligible_full_online(), "full_online", good)


def _paid_online(w: Window, i: Indicator) -> Counted:
    return Counted("obligation", received_in(w) & obligation(), "paid_online", Q(payment_gateway__in=ONLINE_PAID))


def _electronic_result(w: Window, i: Indicator) -> Counted:
    base = resolved_in(w) & Q(procedure__written_result=True)
    return Counted("written_result", base, "electronic_result", electronic_result())


def digitised_parts(i: Indicator) -> Q:
    """All components digitised; an online dossier is electronic already (TT 03/2025 Điều 5 khoản 2: exempt)."""
    done = Q(digitised=True)
    if i.option("online_is_digitised", True):
        done |= Q(channel=Channel.ONLINE)
    return done


def needs_electronic_result(w: Window) -> Q:
    return Q(outcome=Outcome.RESOLVED, ended_on__isnull=False, ended_on__lte=w.last, procedure__written_result=True)


def _digitised(w: Window, i: Indicator) -> Counted:
    good = digitised_parts(i) & (~needs_electronic_result(w) | electronic_result())
    return Counted(RECEIVED, received_in(w), f"digitised:{i.option('online_is_digitised', True)}", good)


DOSSIER_MEASURES: dict[str, Conditions] = {
    Measure.SYNCED: _received("synced", synced()),
    Measure.ON_TIME: _on_time,
    Measure.FULL_ONLINE: _full_online,
    Measure.ONLINE_DOSSIERS: _received("online", Q(channel=Channel.ONLINE)),
    Measure.PAID_ONLINE: _paid_online,
    Measure.ELECTRONIC_RESULT: _electronic_result,
    Measure.DIGITISED: _digitised,
    Measure.REUSED: _received("reused", Q(reused_components__gt=0)),
    Measure.NATIONAL_STORE: _received("store", Q(national_store_linked=True)),
    Measure.POPULATION_DOSSIERS: _received("population", Q(population_data_used=True)),
    # 5.4's dossier part: the dossiers of 2.1 and the late ones among them (good = on time).
    Measure.DOSSIER_SATISFACTION: _on_time,
}

# The per-procedure counts of dossiers received in the period that the catalogue indicators need.
PROCEDURE_COUNTS: dict[str, Callable[[Window], Q]] = {
    "online": lambda w: received_in(w) & Q(channel=Channel.ONLINE),
    "paid_online": lambda w: received_in(w) & Q(payment_gateway__in=ONLINE_PAID),
    "people": lambda w: received_in(w) & Q(applicant_kind__in=PEOPLE),
    "population": lambda w: received_in(w) & Q(applicant_kind__in=PEOPLE) & Q(population_data_used=True),
}

# --- the catalogue indicators -------------------------------------------------------------------------------------


def has_fee():
    return Exists(Fee.objects.filter(procedure_id=OuterRef("pk")).filter(charging_fee()))


def complete() -> Q:
    """The parts of a published procedure cchc records: a name, a processing time, components and a result."""
    components = Exists(Component.objects.filter(procedure_id=OuterRef("pk")))
    return ~Q(name="") & Q(processing_time__gt=0) & Q(components) & (~Q(result_document="") | ~Q(result_kind=""))


@dataclass(frozen=True)
class CatalogueRow:
    pk: int
    agency_id: int
    code: str
    name: str
    online_service: str
    online_payment: bool
    has_fee: bool
    complete: bool


# measure -> (in the denominator?, in the numerator?) of one catalogue row, given the codes with dossiers.
CatalogueTest = Callable[[CatalogueRow, "CodesSeen"], tuple[bool, bool]]


@dataclass(frozen=True)
class CodesSeen:
    """(agency id, procedure code) pairs with at least one dossier of each kind received in the period."""

    online: frozenset[tuple[int, str]] = frozenset()
    paid_online: frozenset[tuple[int, str]] = frozenset()
    people: frozenset[tuple[int, str]] = frozenset()
    population: frozenset[tuple[int, str]] = frozenset()


CATALOGUE_MEASURES: dict[str, CatalogueTest] = {
    Measure.CATALOGUE_COMPLETE: lambda r, s: (True, r.complete),
    Measure.ONLINE_PROCEDURES: lambda r, s: (True, r.online_service != OnlineService.NONE),
    Measure.ONLINE_SERVICES_USED: lambda r, s: (
        r.online_service != OnlineService.NONE,
        (r.agency_id, r.code) in s.online,
    ),
    Measure.FEE_PROCEDURES_INTEGRATED: lambda r, s: (r.has_fee, r.online_payment),
    Measure.FEE_PROCEDURES_PAID_ONLINE: lambda r, s: (r.has_fee, (r.agency_id, r.code) in s.paid_online),
}
