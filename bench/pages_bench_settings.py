"""Settings of the server that bench/pages_bench.py starts: cchc's own, with a URLconf that adds the bare view.

Only the benchmark uses this module (DJANGO_SETTINGS_MODULE=pages_bench_settings, bench/ on the path): the bare
view does not exist in cchc's own URLconf, so no production server can ever answer it.
"""

from cchc.settings import *  # noqa: F403

ROOT_URLCONF = "pages_bench_urls"
