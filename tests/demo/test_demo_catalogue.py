"""The demo catalogue's parts: every procedure version has components, a result kind and an internal process that
keeps the catalogue's own rules; fees free, fixed and by rule; a one-step process and liên thông steps exist."""

from __future__ import annotations

import pytest

from cchc.demo import build
from cchc.procedures import parts
from cchc.procedures.models import Procedure

pytestmark = pytest.mark.django_db


def test_every_demo_procedure_has_plausible_parts():
    build.build_base()
    procedures = list(Procedure.objects.select_related("agency"))
    assert procedures
    counts = {"free": 0, "fixed": 0, "rule": 0, "one_step": 0, "linked": 0}
    for procedure in procedures:
        components = parts.part_rows(procedure, "components")
        steps = parts.part_rows(procedure, "internal_steps")
        fees = parts.part_rows(procedure, "fee_items")
        assert 2 <= len(components) <= 5, procedure.code
        assert procedure.result_kind and procedure.internal_process_decision
        assert len(steps) == 1 or 3 <= len(steps) <= 6, (procedure.code, len(steps))
        assert parts.component_problems(components) == []
        assert parts.fee_problems(fees) == []
        assert parts.step_problems(procedure, steps) == [], procedure.code
        assert sum(1 for s in steps if s["is_approval"]) == 1
        counts["free"] += not fees
        counts["fixed"] += any(f["amount"] for f in fees)
        counts["rule"] += any(f["rule"] for f in fees)
        counts["one_step"] += len(steps) == 1
        counts["linked"] += any(s["external_agency"] or s["external_name"] for s in steps)
    assert all(counts.values()), counts
    assert any(s.external_agency_id for p in procedures for s in p.internal_steps.all())
    # A second build adds nothing.
    before = sum(p.components.count() for p in procedures)
    build.build_base()
    assert sum(p.components.count() for p in Procedure.objects.all()) == before


def test_a_rebuild_fills_only_the_parts_a_version_lacks():
    """A version with an internal process of its own but no components (an officer's edit, or a demo database of
    an earlier release): `cchc demo` adds its components and keeps its process, instead of failing on the steps."""
    from cchc.procedures.models import Component, InternalStep

    build.build_base()
    procedure = Procedure.objects.order_by("pk").first()
    own_steps = list(procedure.internal_steps.values_list("position", "name"))
    Component.objects.filter(procedure=procedure).delete()
    build.build_base()
    assert procedure.components.count() >= 2
    assert list(InternalStep.objects.filter(procedure=procedure).values_list("position", "name")) == own_steps
