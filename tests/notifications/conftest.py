from __future__ import annotations

import pytest

from cchc.dossiers import lifecycle
from cchc.dossiers.models import Channel


@pytest.fixture
def receive(agency, procedure, one_stop_staff):
    """receive(**fields): a dossier received now at the desk, through the real lifecycle."""

    def make(**fields):
        fields.setdefault("applicant_name", "Nguyễn Thị Hoa")
        return lifecycle.receive(agency=agency, procedure=procedure, channel=Channel.DIRECT, actor=one_stop_staff,
                                 **fields)  # fmt: skip

    return make
