"""`cchc demo --large`: the benchmark set is consistent, quick to add and added once."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from cchc.audit.models import AuditEntry
from cchc.demo import build
from cchc.dossiers.deadlines import due_for
from cchc.dossiers.models import Dossier, DossierEvent, Status

NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 15, 30))


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def test_large_mode_adds_consistent_rows_once(db):
    created = build.build_large(5000, batch_size=2000, now=NOW)
    assert created == 5000
    large = Dossier.objects.filter(code__contains=build.LARGE_MARK)
    assert large.count() == 5000
    assert set(large.values_list("agency__code", flat=True)) == {"SKHCN", "SNV", "STP"}
    audits = AuditEntry.objects.count()
    for dossier in large.select_related("procedure__agency").order_by("?")[:200]:
        assert dossier.due_at == due_for(dossier.procedure, dossier.received_at)
        assert dossier.due_date == local_date(dossier.due_at)
        assert dossier.received_on == local_date(dossier.received_at) and dossier.received_at <= NOW
        assert dossier.procedure.is_in_force(dossier.received_on)
        if dossier.ended_at:
            assert dossier.ended_on == local_date(dossier.ended_at) >= dossier.received_on
            assert dossier.ended_at <= NOW and dossier.outcome
        else:
            assert dossier.status == Status.IN_PROCESS and not dossier.outcome
    statuses = Counter(large.values_list("status", flat=True))
    assert statuses[Status.RETURNED] > statuses[Status.IN_PROCESS] > 0

    assert build.build_large(5000, batch_size=2000, now=NOW) == 0
    assert large.count() == 5000
    # A bigger count later resumes after the existing rows.
    assert build.build_large(6000, batch_size=2000, now=NOW) == 1000
    assert large.count() == 6000
    assert AuditEntry.objects.count() == audits
    assert not DossierEvent.objects.filter(dossier__code__contains=build.LARGE_MARK).exists()
