"""Dossier codes: a daily sequence per agency, never handed out twice, safe under concurrency."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from cchc.dossiers import codes, lifecycle
from cchc.dossiers.lifecycle import TransitionError
from cchc.dossiers.models import Channel, Dossier
from concurrency import concurrent_database


def local(year, month, day, hour=9, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def receive(agency, procedure, actor, at, **kwargs) -> Dossier:
    return lifecycle.receive(
        agency=agency,
        procedure=procedure,
        applicant_name="Công ty TNHH Thiết bị Y tế",
        channel=Channel.DIRECT,
        actor=actor,
        received_at=at,
        **kwargs,
    )


def custom_generator(agency, received_at):
    return f"HS-{agency.code}-{codes.next_number(f'custom:{agency.pk}'):06d}"


def test_daily_sequence_per_agency(agency, procedure, one_stop_staff):
    first = receive(agency, procedure, one_stop_staff, local(2024, 2, 5, 8))
    second = receive(agency, procedure, one_stop_staff, local(2024, 2, 5, 16))
    # A Saturday receipt keeps its own date in the code, though its deadline counts from Monday.
    saturday = receive(agency, procedure, one_stop_staff, local(2024, 2, 3, 10))
    next_day = receive(agency, procedure, one_stop_staff, local(2024, 2, 6))
    assert [d.code for d in (first, second, saturday, next_day)] == [
        "000.00.12.H45-240205-0001",
        "000.00.12.H45-240205-0002",
        "000.00.12.H45-240203-0001",
        "000.00.12.H45-240206-0001",
    ]


def test_day_of_code_is_the_local_day(agency, procedure, one_stop_staff):
    # 23:30 in Hà Nội is 16:30 UTC: the code carries the Vietnamese date.
    late = receive(agency, procedure, one_stop_staff, local(2024, 2, 5, 23, 30))
    assert late.code == "000.00.12.H45-240205-0001"


def test_agency_without_electronic_id_uses_its_code(agency, procedure, one_stop_staff):
    agency.electronic_id = ""
    agency.save()
    assert receive(agency, procedure, one_stop_staff, local(2024, 2, 5)).code == "SKHCN-240205-0001"


def test_sequences_of_two_agencies_are_independent(agency, other_agency, procedure, field, one_stop_staff):
    from cchc.procedures.models import Procedure

    other_procedure = Procedure.objects.create(
        agency=other_agency,
        code="2.000001",
        name="Thủ tục nội vụ",
        field=field,
        processing_time=5,
        effective_from=dt.date(2020, 1, 1),
    )
    a = receive(agency, procedure, one_stop_staff, local(2024, 2, 5))
    b = receive(other_agency, other_procedure, one_stop_staff, local(2024, 2, 5))
    assert (a.code, b.code) == ("000.00.12.H45-240205-0001", "000.00.05.H45-240205-0001")


def test_code_of_a_deleted_dossier_is_not_reused(agency, procedure, one_stop_staff):
    first = receive(agency, procedure, one_stop_staff, local(2024, 2, 5))
    first.delete()
    again = receive(agency, procedure, one_stop_staff, local(2024, 2, 5, 10))
    assert again.code == "000.00.12.H45-240205-0002"


def test_given_code_is_kept_and_skipped_by_the_generator(agency, procedure, one_stop_staff):
    imported = receive(agency, procedure, one_stop_staff, local(2024, 2, 5), code="000.00.12.H45-240205-0001")
    generated = receive(agency, procedure, one_stop_staff, local(2024, 2, 5, 10))
    assert (imported.code, generated.code) == ("000.00.12.H45-240205-0001", "000.00.12.H45-240205-0002")


def test_blank_given_code_means_generate(agency, procedure, one_stop_staff):
    dossier = receive(agency, procedure, one_stop_staff, local(2024, 2, 5), code="  ")
    assert dossier.code == "000.00.12.H45-240205-0001"


def test_duplicate_given_code_is_refused(agency, procedure, one_stop_staff):
    receive(agency, procedure, one_stop_staff, local(2024, 2, 5), code="HS-001")
    with pytest.raises(TransitionError, match="HS-001 đã được cấp"):
        receive(agency, procedure, one_stop_staff, local(2024, 2, 5, 10), code="HS-001")
    assert Dossier.objects.count() == 1


def test_generator_twice_in_one_transaction_gives_distinct_codes(agency, db):
    moment = local(2024, 2, 5)
    with transaction.atomic():
        first = codes.generate(agency, moment)
        second = codes.generate(agency, moment)
    assert first != second
    assert (first[-4:], second[-4:]) == ("0001", "0002")


def test_generator_in_two_transactions_gives_distinct_codes(agency, db):
    moment = local(2024, 2, 5)
    with transaction.atomic():
        first = codes.generate(agency, moment)
    with transaction.atomic():
        second = codes.generate(agency, moment)
    assert first != second


def test_rolled_back_number_is_reused_only_if_never_issued(agency, db):
    # A receipt that fails rolls its number back with it: no dossier ever carried that code.
    moment = local(2024, 2, 5)
    with pytest.raises(RuntimeError), transaction.atomic():
        codes.generate(agency, moment)
        raise RuntimeError
    assert codes.generate(agency, moment).endswith("-0001")


def test_generator_is_pluggable(settings, agency, procedure, one_stop_staff):
    settings.CCHC = {**settings.CCHC, "DOSSIER_CODE_GENERATOR": custom_generator}
    first = receive(agency, procedure, one_stop_staff, local(2024, 2, 5))
    second = receive(agency, procedure, one_stop_staff, local(2024, 2, 6))
    assert (first.code, second.code) == ("HS-SKHCN-000001", "HS-SKHCN-000002")


def test_clash_with_a_code_taken_meanwhile_is_retried(settings, agency, procedure, one_stop_staff):
    # A generator that first proposes a code already taken (as if another transaction had just used it).
    receive(agency, procedure, one_stop_staff, local(2024, 2, 5), code="HS-000001")
    settings.CCHC = {**settings.CCHC, "DOSSIER_CODE_GENERATOR": naive_generator}
    dossier = receive(agency, procedure, one_stop_staff, local(2024, 2, 5, 10))
    assert dossier.code == "HS-000002"


def naive_generator(agency, received_at):
    """Numbers without looking at existing dossiers: relies on the lifecycle's retry."""
    return f"HS-{codes.next_number(f'naive:{agency.pk}'):06d}"


@concurrent_database
@pytest.mark.django_db(transaction=True)
def test_concurrent_receipts_get_distinct_codes(agency, procedure, one_stop_staff):
    """Two desks receive at the same moment, each in its own transaction and database connection."""
    moment = local(2024, 2, 5)
    start = threading.Barrier(2)
    results: list[str] = []
    errors: list[BaseException] = []

    def desk() -> None:
        try:
            start.wait(timeout=10)
            dossier = receive(agency, procedure, one_stop_staff, moment)
            results.append(dossier.code)
        except BaseException as exc:  # noqa: B036 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(results) == ["000.00.12.H45-240205-0001", "000.00.12.H45-240205-0002"]
    assert Dossier.objects.count() == 2


@concurrent_database
@pytest.mark.django_db(transaction=True)
def test_concurrent_generators_wait_for_each_other(agency):
    """Two transactions take a number of an existing sequence at once and stay open a while: the counter row lock
    makes the second wait for the first to commit instead of reading the same last number."""
    moment = local(2024, 2, 5)
    codes.generate(agency, moment)  # the sequence row exists from here on
    start = threading.Barrier(2)
    results: list[str] = []
    errors: list[BaseException] = []

    def desk() -> None:
        try:
            start.wait(timeout=10)
            with transaction.atomic():
                results.append(codes.generate(agency, moment))
                time.sleep(0.3)
        except BaseException as exc:  # noqa: B036 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(code[-4:] for code in results) == ["0002", "0003"]


# --- look-alike codes ---------------------------------------------------------------------------------------------


def _import_csv(tmp_path, agency, *lines: str):
    from cchc.dossiers.importer import import_dossiers

    path = tmp_path / "ho-so.csv"
    path.write_text("Mã hồ sơ,Mã TTHC,Chủ hồ sơ,Ngày tiếp nhận\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return import_dossiers(path, agency=agency)


def test_codes_differing_only_by_invisible_characters_are_one_dossier(tmp_path, agency, procedure):
    result = _import_csv(
        tmp_path,
        agency,
        "HS-001,1.004444,Nguyễn Văn An,05/02/2024 09:00",
        "HS\u200b-001,1.004444,Nguyễn Văn An,05/02/2024 09:00",  # a zero-width space inside
        "\ufeffHS-002\u00a0,1.004444,Trần\u200d Thị Bình,05/02/2024 10:00",  # a BOM, a no-break space, a joiner
    )
    assert [(e.row, e.message) for e in result.errors] == [(3, "Mã hồ sơ HS-001 trùng với dòng 2 trong tệp.")]
    assert sorted(Dossier.objects.values_list("code", "applicant_name")) == [
        ("HS-001", "Nguyễn Văn An"),
        ("HS-002", "Trần Thị Bình"),
    ]
    again = _import_csv(tmp_path, agency, "HS-00\u20602,1.004444,Trần Thị Bình,05/02/2024 10:00")
    assert (again.created, again.unchanged) == (0, 1)


def test_a_code_with_cyrillic_or_greek_look_alikes_is_refused(tmp_path, agency, procedure):
    _import_csv(tmp_path, agency, "HS-003,1.004444,Lê Văn Cường,05/02/2024 09:00")
    result = _import_csv(
        tmp_path,
        agency,
        "НS-003,1.004444,Lê Văn Cường,05/02/2024 09:00",  # Cyrillic Н
        "HS-ΟΟ4,1.004444,Lê Văn Cường,05/02/2024 09:00",  # Greek Ο
    )
    assert result.created == 0
    assert [error.row for error in result.errors] == [2, 3]
    assert "có ký tự Kirin (Н)" in result.errors[0].message
    assert "có ký tự Hy Lạp (Ο)" in result.errors[1].message
    assert list(Dossier.objects.values_list("code", flat=True)) == ["HS-003"]
