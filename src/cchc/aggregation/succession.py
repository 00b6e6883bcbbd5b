"""Old units and their successors in a roll-up whose period spans a change of the map (the 2025 mergers).

Agencies carry `valid_from`, `valid_to` and a `successor` (agencies.models). For a period, the members of an
aggregator are those valid on at least one day of it. A member whose validity ends inside the period (its last day
before the period's last day) and whose successor — followed along the chain while a successor also ends inside the
period — is a member of the same table is FOLDED into the successor's row: it sends no report of its own for that
period and its figures are added to the successor's, each addition named in the row's note. A member that starts
inside the period is shown for its part only (its figures begin on its first day, and its row says so). A member
that ends inside the period without a successor in the table keeps its own row, which says when it ended.
docs/rollup.md states the rule for the users.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cchc.agencies.models import Agency
from cchc.statistics.periods import Period


def with_predecessors(members: QuerySet[Agency]) -> QuerySet[Agency]:
    """The members and the agencies they succeeded (two generations back: a department merged in 2025 into one
    that was itself renamed): a roll-up over a period before the change needs the old units."""
    ids = members.values("pk")
    return Agency.objects.filter(Q(pk__in=ids) | Q(successor__in=ids) | Q(successor__successor__in=ids)).distinct()


def valid_during(agency: Agency, period: Period) -> bool:
    return (agency.valid_from is None or agency.valid_from <= period.end) and (
        agency.valid_to is None or agency.valid_to >= period.start
    )


def ends_during(agency: Agency, period: Period) -> bool:
    return agency.valid_to is not None and period.start <= agency.valid_to < period.end


def starts_during(agency: Agency, period: Period) -> bool:
    return agency.valid_from is not None and period.start < agency.valid_from <= period.end


def _day(value: dt.date) -> str:
    return f"{value:%d/%m/%Y}"


@dataclass
class PeriodMembers:
    period: Period
    members: list[Agency]  # every member valid in the period, folded or not, in the caller's order
    folded: dict[int, Agency] = field(default_factory=dict)  # predecessor id -> the member whose row it joins

    @property
    def expected(self) -> list[Agency]:
        """The members with a row of their own, which are expected to send the period's report."""
        return [m for m in self.members if m.pk not in self.folded]

    def predecessors_of(self, agency: Agency) -> list[Agency]:
        return [m for m in self.members if self.folded.get(m.pk) is not None and self.folded[m.pk].pk == agency.pk]

    def notes_for(self, agency: Agency) -> list[str]:
        """What the row of `agency` says about the change of the map: the units folded into it, its first or last
        day inside the period."""
        notes = []
        for old in self.predecessors_of(agency):
            notes.append(
                _("Cộng cả số liệu của %(old)s (hoạt động đến %(until)s; từ %(since)s do %(new)s kế thừa).") % {
                    "old": old.name, "until": _day(old.valid_to),
                    "since": _day(old.valid_to + dt.timedelta(days=1)), "new": agency.name}
            )  # fmt: skip
        if starts_during(agency, self.period):
            notes.append(
                _("Hoạt động từ %(since)s: số liệu của cơ quan tính từ ngày này.") % {"since": _day(agency.valid_from)}
            )
        if ends_during(agency, self.period):
            text = _("Hoạt động đến %(until)s.") % {"until": _day(agency.valid_to)}
            if agency.successor_id:
                text += " " + _("Cơ quan kế thừa (%(new)s) không thuộc bảng tổng hợp này.") % {
                    "new": agency.successor.name if agency.successor else ""}  # fmt: skip
            notes.append(text)
        return notes


def period_members(aggregator: Agency, period: Period, members: list[Agency]) -> PeriodMembers:
    """The members valid in `period`, and which ones fold into a successor's row (see the module's rule)."""
    valid = [m for m in members if valid_during(m, period) and m.pk != aggregator.pk]
    by_id = {m.pk: m for m in valid}
    folded: dict[int, Agency] = {}
    for member in valid:
        if not ends_during(member, period) or not member.successor_id:
            continue
        target = by_id.get(member.successor_id)
        seen = {member.pk}
        # Follow the chain while the successor also ends inside the period (and never around a loop).
        while target is not None and ends_during(target, period) and target.successor_id and target.pk not in seen:
            seen.add(target.pk)
            target = by_id.get(target.successor_id)
        if target is not None and target.pk not in seen:
            folded[member.pk] = target
    return PeriodMembers(period, valid, folded)
