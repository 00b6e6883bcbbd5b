"""Benchmark: "Việc của tôi" and the dossier list sorted by due date, served by `cchc serve`, against the bare view.

    .venv/bin/python bench/worklist_bench.py [--dossiers 1000000] [--clients 8] [--duration 10]
        [--database-url postgres://postgres@127.0.0.1:5432/cchc_big] [--data-dir DIR] [--server gunicorn]

pages_bench.py's machinery (build, server, log-in, drive, table). The large demo has no workflow steps, so before
serving it gives every open dossier steps in bulk (once; a database that has them keeps them): the desk's step done,
the officer's step held by the agency's demo officer (two in three) or queued in the officer's unit, and for one in
four a leader's approval step queued. Then drives, at each number of clients: the bare view, the officer's
"Việc của tôi" (held steps; the unit queue), the leader's approvals, and the dossier list by due date. Goal (issue
9): the worklist page p99 < 300 ms at 8 clients on 1M dossiers. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pages_bench

OFFICER = "skhcn.chuyenvien"
LEADER = pages_bench.DEPARTMENT_USER  # skhcn.lanhdao

STEPS_SCRIPT = r"""
import datetime as dt, sys
from decimal import Decimal
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from cchc.agencies.models import Membership
from cchc.dossiers.models import Dossier
from cchc.dossiers.workflow.models import DossierStep

if DossierStep.objects.exists():
    print(f"steps kept: {DossierStep.objects.count()}")
    sys.exit(0)
now = timezone.now()
officers = {m.agency_id: m for m in Membership.objects.filter(role="officer").exclude(unit=None).order_by("pk")}
steps = []
open_rows = Dossier.objects.filter(ended_at__isnull=True).order_by("pk").values_list("pk", "agency_id", "due_at",
                                                                                    "received_at")
for n, (pk, agency_id, due_at, received_at) in enumerate(open_rows.iterator(chunk_size=5000)):
    officer = officers.get(agency_id)
    if officer is None:
        continue
    step_due = received_at + (due_at - received_at) * 0.7
    steps.append(DossierStep(dossier_id=pk, position=1, name="Tiếp nhận hồ sơ", role="one_stop", state="done",
                             duration=Decimal("0.5"), started_at=received_at, finished_at=received_at,
                             due_at=received_at, on_time=True))
    held = n % 3 != 2
    steps.append(DossierStep(dossier_id=pk, position=2, name="Thẩm định hồ sơ", role="officer", unit_id=officer.unit_id,
                             holder_id=officer.user_id if held else None, state="active" if held else "queued",
                             duration=Decimal("5"), started_at=received_at, due_at=step_due))
    if n % 4 == 0:
        steps.append(DossierStep(dossier_id=pk, position=3, name="Phê duyệt kết quả", role="leader", is_approval=True,
                                 state="queued", duration=Decimal("1"), due_at=due_at))
with transaction.atomic():
    DossierStep.objects.bulk_create(steps, batch_size=5000)
from django.db import connection
if connection.vendor == "postgresql":  # the planner's figures of the new rows, as after any large load
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dossiers_dossierstep")
print(f"steps created: {len(steps)}")
"""


def make_steps(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-c", STEPS_SCRIPT], env={**env, "DJANGO_SETTINGS_MODULE": "cchc.settings"}, check=True
    )


def pages() -> list[pages_bench.Page]:
    return [
        pages_bench.Page("bare view (floor)", pages_bench.BARE_PATH, LEADER),
        pages_bench.Page("my work: held /viec-cua-toi/", "/viec-cua-toi/", OFFICER),
        pages_bench.Page("my work: unit queue", "/viec-cua-toi/?tab=queue", OFFICER),
        pages_bench.Page("my work: approvals (leader)", "/viec-cua-toi/?tab=approval", LEADER),
        pages_bench.Page("dossier list by due /ho-so/?sort=due", "/ho-so/?sort=due", OFFICER),
    ]


def bench(port: int, clients_list: list[int], duration: float) -> list[pages_bench.Run]:
    sessions = pages_bench.log_in_sessions(port, [OFFICER, LEADER], min(pages_bench.SESSIONS_PER_USER,
                                                                         max(clients_list)))  # fmt: skip
    driven = pages()
    for page in driven:
        warm = pages_bench.Session(port, sessions[page.user][0])
        response, body = warm.request("GET", page.path)
        warm.close()
        rows = body.count(b"<tr data-")
        print(f"  warm {page.name}: HTTP {response.status}, {rows} rows", flush=True)
    runs = []
    for clients in clients_list:
        for page in driven:
            run = pages_bench.drive(port, page, sessions[page.user], clients, duration)
            runs.append(run)
            print(f"  {page.name:<40} {clients:>3} clients {run.rate:9.1f} req/s", flush=True)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--server", default="auto")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    clients_list = [int(c) for c in args.clients.split(",") if c.strip()]
    with tempfile.TemporaryDirectory(prefix="cchc-worklist-bench-") as scratch:
        data_dir = Path(args.data_dir or scratch)
        data_dir.mkdir(parents=True, exist_ok=True)
        env = pages_bench.server_env(data_dir, args.database_url)
        database = "postgresql" if args.database_url else "sqlite"
        print(f"building the demo and {args.dossiers:,} dossiers ({database}, data in {data_dir})...", flush=True)
        print(f"built in {pages_bench.build_data(env, args.dossiers, quiet=True):.0f} s", flush=True)
        make_steps(env)
        process, port = pages_bench.start_server(env, args.server, args.workers)
        try:
            runs = bench(port, clients_list, args.duration)
        finally:
            process.terminate()
            process.wait(timeout=60)
    rows = pages_bench.table(runs)
    print()
    pages_bench.print_table(rows)
    print(json.dumps({"bench": "worklist", "database": database, "dossiers": args.dossiers, "server": args.server,
                      "duration_s": args.duration, "cores": os.cpu_count(),
                      "all_ok": all(r.all_ok for r in runs), "results": rows}, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
