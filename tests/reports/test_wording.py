"""How reports phrase their figures: the refused/withdrawn sentence names only what happened, a running period says
up to which day its figures go, and a roll-up rate says how many members it covers."""

from __future__ import annotations

import datetime as dt

from cchc.reports.wording import dates_note, dossier_sentence
from cchc.statistics.periods import parse_period
from cchc.statistics.service import DossierFigures

Q1 = parse_period("2023-Q1")  # Nghị định 09: 15/12/2022 – 14/03/2023


def test_only_withdrawals_are_named_without_a_zero_refusal():
    figures = DossierFigures(received_direct=5, resolved_early=3, withdrawn=1, in_progress_within=2)
    sentence = dossier_sentence(figures, Q1, "Sở")
    assert "có không có" not in sentence
    assert sentence.endswith("Trong số hồ sơ đã giải quyết có 01 hồ sơ do tổ chức, cá nhân rút.")
    both = dossier_sentence(DossierFigures(received_direct=4, resolved_early=4, refused=2, withdrawn=1), Q1, "Sở")
    assert both.endswith("có 02 hồ sơ từ chối giải quyết và 01 hồ sơ do tổ chức, cá nhân rút.")
    assert "Trong số hồ sơ đã giải quyết" not in dossier_sentence(DossierFigures(received_direct=1), Q1, "Sở")


def test_a_running_period_says_up_to_which_day_it_counts():
    assert dates_note(Q1) == "số liệu tính từ ngày 15/12/2022 đến ngày 14/03/2023"
    assert dates_note(Q1, Q1.end) == dates_note(Q1)
    running = dates_note(Q1, dt.date(2023, 2, 20))
    assert running == "số liệu tính từ ngày 15/12/2022 đến ngày 20/02/2023; kỳ báo cáo đến ngày 14/03/2023"
    sentence = dossier_sentence(DossierFigures(received_online=2), Q1, "Sở", dt.date(2023, 2, 20))
    assert "đến ngày 20/02/2023; kỳ báo cáo đến ngày 14/03/2023" in sentence
