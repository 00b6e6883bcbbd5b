"""The demo's open dossiers run through their internal process: queued, held, sent back, at the leader's approval."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from cchc.demo import build
from cchc.dossiers.models import Dossier, Status
from cchc.dossiers.workflow.models import DossierStep, Handover, StepState

NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 15, 30))


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build.build_demo(scale=0.1, now=NOW)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_open_demo_dossiers_have_steps_in_every_shape(built, db):
    skhcn = DossierStep.objects.filter(dossier__agency__code="SKHCN")
    assert skhcn.filter(state=StepState.QUEUED).exists()
    held = skhcn.filter(state=StepState.ACTIVE, holder__username="skhcn.chuyenvien")
    assert held.exists()
    assert skhcn.filter(state=StepState.ACTIVE, is_approval=True, holder__username="skhcn.lanhdao").exists()
    assert skhcn.filter(state=StepState.SENT_BACK).count() == 1
    assert Handover.objects.filter(kind="send_back", note__contains="bổ sung ý kiến thẩm định").count() == 1
    # Only open dossiers have steps, and ended ones none; the history of the dossiers is untouched.
    assert not DossierStep.objects.exclude(dossier__status__in=[Status.RECEIVED, Status.IN_PROCESS]).exists()
    assert Dossier.objects.filter(status__in=[Status.RECEIVED, Status.IN_PROCESS], steps__isnull=True).exists()


def test_a_second_build_adds_no_steps(built, db):
    before = DossierStep.objects.count()
    build.build_demo(scale=0.1, now=NOW)
    assert DossierStep.objects.count() == before
