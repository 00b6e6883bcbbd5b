"""Dossier codes (mã hồ sơ).

Every received dossier gets a code on the electronic one-stop system. The common format joins the receiving
agency's electronic identifier (QĐ 20/2020/QĐ-TTg), the receipt date and a 4-digit daily sequence, e.g.
`000.00.12.H41-230315-0007` (tthc-details.md §1.4). That format is *unconfirmed*, so the generator is pluggable:
`settings.CCHC["DOSSIER_CODE_GENERATOR"]` may name another callable `(agency, received_at) -> str`. Whatever the
generator, a code is never handed out twice: numbers come from a counter that only grows (`CodeSequence`), and the
lifecycle still retries when the database's unique constraint reports a clash (a code imported from elsewhere).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import CodeSequence, Dossier

CodeGenerator = Callable[..., str]
DEFAULT_GENERATOR = "cchc.dossiers.codes.default_generator"


def next_number(key: str) -> int:
    """Take the next number of the sequence `key` (1, 2, ...), atomically.

    The counter row is locked until the surrounding transaction ends, so a concurrent caller waits and then gets
    the following number. Two callers creating the row at the same moment: the second one's insert fails on the
    unique key, and it takes the row the first one created.
    """
    with transaction.atomic():
        row = CodeSequence.objects.select_for_update().filter(key=key).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = CodeSequence.objects.create(key=key, last=0)
            except IntegrityError:
                row = CodeSequence.objects.select_for_update().get(key=key)
        row.last += 1
        row.save(update_fields=["last"])
        return row.last


def agency_prefix(agency) -> str:
    """The agency's electronic identifier, or its short code when it has none yet."""
    return (agency.electronic_id or agency.code).strip()


def default_generator(agency, received_at: dt.datetime) -> str:
    """`<electronic id or code>-<yymmdd>-<nnnn>`, a sequence per agency and local receipt day.

    A number already used by a dossier of the agency (an imported code in the same format) is skipped.
    """
    day = timezone.localtime(received_at).date()
    prefix = f"{agency_prefix(agency)}-{day:%y%m%d}"
    key = f"agency:{agency.pk}:{day:%Y%m%d}"
    while True:
        code = f"{prefix}-{next_number(key):04d}"
        if not Dossier.objects.filter(agency_id=agency.pk, code=code).exists():
            return code


def get_generator() -> CodeGenerator:
    path = getattr(settings, "CCHC", {}).get("DOSSIER_CODE_GENERATOR") or DEFAULT_GENERATOR
    return import_string(path) if isinstance(path, str) else path


def generate(agency, received_at: dt.datetime) -> str:
    """A new code for a dossier of `agency` received at `received_at`, from the configured generator."""
    return get_generator()(agency, received_at)
