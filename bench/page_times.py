"""In-process timings of the pages issue 8 names, without a server: Django's test Client, logged in as a demo user,
requests each page `--runs` times after one warm-up request, and prints the median, the fastest and the queries
of one request. Use it on a database built with `cchc demo --large --dossiers N` (see bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_big PYTHONPATH=$PWD/src \\
        .venv/bin/python bench/page_times.py --runs 15

The cache of figures (statistics.cache) is emptied before each page's warm-up unless --warm is given, so the
first request pays the computation and the median shows what the following readers pay.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--user", default="skhcn.lanhdao", help="the demo user (default: the Sở KH&CN leader)")
    parser.add_argument("--aggregator", default="snv.tonghop", help="the demo user of the roll-up page")
    parser.add_argument("--warm", action="store_true", help="keep the figures already cached")
    parser.add_argument("--pages", default="", help="only the pages whose names contain one of these, comma-separated")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cchc.dossiers.models import Dossier

    setup_test_environment()  # the Client's response.context, and ALLOWED_HOSTS for "testserver"
    settings.DEBUG = True  # count the queries
    users = get_user_model().objects
    officer, aggregator = users.get(username=args.user), users.get(username=args.aggregator)
    home = officer.memberships.first().agency
    detail = Dossier.objects.filter(agency=home).order_by("-received_at").values_list("pk", flat=True).first()
    pages = [
        ("dashboard", officer, "/", {}),
        ("dashboard_closed_quarter", officer, "/", {"ky": "2025-Q1"}),
        ("dossier_list", officer, "/ho-so/", {}),
        ("dossier_search", officer, "/ho-so/", {"q": "nguyen van"}),
        ("dossier_overdue", officer, "/ho-so/", {"overdue": "on"}),
        ("dossier_detail", officer, f"/ho-so/{detail}/", {}),
        ("rollup", aggregator, "/tong-hop/", {}),
        ("rollup_closed_quarter", aggregator, "/tong-hop/", {"ky": "2025-Q1"}),
        ("dossier_list_by_due", officer, "/ho-so/", {"sort": "due"}),
        ("my_work", officer, "/viec-cua-toi/", {}),
    ]
    only = [word for word in args.pages.split(",") if word]
    if only:
        pages = [page for page in pages if any(word in page[0] for word in only)]
    results = {}
    print(f"{connection.vendor}, {Dossier.objects.count():,} dossiers, {args.runs} runs per page")
    print(f"{'page':<26} {'median ms':>10} {'min ms':>8} {'queries':>8}")
    for name, user, url, params in pages:
        client = Client()
        client.force_login(user)
        if not args.warm:
            _empty_cache()
        response = client.get(url, params)
        if response.status_code == 404 and name in ("my_work", "dossier_list_by_due"):
            continue  # the code before worklists
        if response.status_code != 200:
            print(f"{name}: HTTP {response.status_code}", file=sys.stderr)
            return 1
        times = []
        for _ in range(args.runs):
            reset_queries()
            began = time.perf_counter()
            client.get(url, params)
            times.append((time.perf_counter() - began) * 1000)
        queries = len(connection.queries)
        results[name] = {"median_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1),
                         "queries": queries}  # fmt: skip
        print(f"{name:<26} {results[name]['median_ms']:>10} {results[name]['min_ms']:>8} {queries:>8}")
    print(json.dumps({"vendor": connection.vendor, "runs": args.runs, "pages": results}))
    return 0


def _empty_cache() -> None:
    try:
        from cchc.statistics.models import CachedFigures
    except ImportError:  # the code before the cache existed
        return
    CachedFigures.objects.all().delete()


if __name__ == "__main__":
    sys.exit(main())
