"""Who sees what: members their agency, aggregators their province and their reporting groups, nobody more."""

from __future__ import annotations

import pytest

from cchc.agencies import scoping
from cchc.agencies.models import Agency, Role
from cchc.dossiers.models import Dossier


@pytest.fixture
def ministry(db):
    return Agency.objects.create(code="BKHCN", name="Bộ Khoa học và Công nghệ", kind=Agency.Kind.MINISTRY)


def test_officer_sees_only_their_agency(officer, agency, other_agency, foreign_agency):
    assert set(scoping.visible_agencies(officer)) == {agency}


def test_province_aggregator_reads_the_province_but_changes_nothing(make_user, agency, other_agency, foreign_agency):
    aggregator = make_user("snv.tonghop", other_agency, Role.AGGREGATOR)
    assert set(scoping.visible_agencies(aggregator)) == {agency, other_agency}
    assert not scoping.can(aggregator, "dossier.receive", agency)
    assert not scoping.can(aggregator, "procedure.edit", agency)


def test_ministry_aggregator_reads_its_group_members_across_provinces(
    make_user, ministry, agency, other_agency, foreign_agency
):
    from cchc.aggregation.models import AggregationGroup

    group = AggregationGroup.objects.create(aggregator=ministry, name="Các Sở KH&CN")
    group.members.add(agency, foreign_agency)
    aggregator = make_user("bkhcn.tonghop", ministry, Role.AGGREGATOR)

    assert set(scoping.visible_agencies(aggregator)) == {ministry, agency, foreign_agency}
    assert other_agency not in scoping.visible_agencies(aggregator)
    # An officer of the ministry who is not an aggregator does not read the group.
    officer = make_user("bkhcn.chuyenvien", ministry, Role.OFFICER)
    assert set(scoping.visible_agencies(officer)) == {ministry}


def test_scope_filters_querysets_and_404s_foreign_objects(officer, agency, foreign_agency, procedure):
    from django.http import Http404

    from cchc.procedures.models import Field, Procedure

    foreign_procedure = Procedure.objects.create(
        agency=foreign_agency, code="2.000500", name="Thủ tục Cao Bằng", field=Field.objects.create(name="Khác"),
        processing_time=5, effective_from=procedure.effective_from,
    )  # fmt: skip
    assert list(scoping.scope(Procedure.objects.all(), officer)) == [procedure]
    with pytest.raises(Http404):
        scoping.get_scoped_or_404(Procedure.objects.all(), officer, pk=foreign_procedure.pk)
    assert scoping.scope(Dossier.objects.all(), officer).count() == 0


def test_anonymous_sees_nothing(db, agency):
    from django.contrib.auth.models import AnonymousUser

    assert not scoping.visible_agencies(AnonymousUser()).exists()
    assert not scoping.can(AnonymousUser(), "dossier.receive", agency)
