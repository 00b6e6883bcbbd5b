"""The demo's PAR Index 2023: the province's framework, the Sở KH&CN's sheet (evidence linked from its records, the
self-assessment locked, round 1 begun by the Sở Nội vụ) and the Sở Tư pháp's beside it for the ranking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from cchc.demo import build
from cchc.demo.data import Summary
from cchc.demo.parindex import build_par_index
from cchc.parindex import evidence, validation
from cchc.parindex.models import Evidence, Framework, Phase, Sheet
from cchc.parindex.presenter import read_sheet
from cchc.parindex.results import ranking
from cchc.parindex.timeline import sheet_entries

NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 15, 30))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            base = build.build_base(Summary())
            build.build_records(base, Summary())
            build.build_dossiers(base, years=None, scale=0.05, seed=build.DEFAULT_SEED, now=NOW)
            summary = Summary()
            build_par_index(base.agencies, summary)
            yield {"base": base, "summary": summary}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_provinces_2023_framework_is_valid_and_adapted(demo, db):
    framework = Framework.objects.get(province__code="H45", year=2023, group="departments")
    assert validation.problems_of(framework) == []
    assert not framework.is_template and framework.copied_from.is_template
    assert framework.decision_label == "Quyết định số 2871/QĐ-UBND ngày 28/12/2022"
    assert dict(framework.appraisers.values_list("role", "agency__code")) == {"justice": "STP", "science": "SKHCN"}


def test_the_science_sheet_is_locked_with_evidence_and_round_one_begun(demo, db):
    sheet = Sheet.objects.get(agency__code="SKHCN", framework__year=2023)
    assert sheet.phase == Phase.ROUND1 and sheet.self_locked_at is not None
    view = read_sheet(sheet)
    assert all(row.score.self_points is not None for row in view.leaves if row.item.section == "scored")
    kinds = set(Evidence.objects.filter(score__sheet=sheet).values_list("kind", flat=True))
    assert kinds == {"object", "file", "link"}
    plan_evidence = Evidence.objects.get(score__sheet=sheet, score__item__code="1.1.1", ref_model="documents.document")
    assert plan_evidence.title.startswith("Kế hoạch 151/KH-SKHCN")
    assert "round1" in view.totals.begun and view.totals.column == "round1"
    lowered = [row.item.code for row in view.leaves if row.lowered]
    assert lowered == ["1.6", "4.2"]
    titles = [entry.title for entry in sheet_entries(sheet, limit=400)]
    assert "Bắt đầu thẩm định lần 1" in titles and "Khóa tự chấm, gửi thẩm định" in titles
    # With the evaluators of cchc.parindex.evidence, the items that name one carry cchc's proposal from the demo data.
    named = [row for row in view.leaves if row.item.evaluator in evidence.REGISTRY]
    assert all(row.score.proposal for row in named)


def test_the_ranking_has_both_departments_and_a_second_build_creates_nothing(demo, db):
    framework = Framework.objects.get(province__code="H45", year=2023)
    rows = ranking(framework)
    assert [row.sheet.agency.code for row in rows] and {row.sheet.agency.code for row in rows} == {"SKHCN", "STP"}
    assert demo["summary"].created == {"bảng điểm Chỉ số CCHC": 2}
    again = Summary()
    build_par_index(demo["base"].agencies, again)
    assert again.created == {}
