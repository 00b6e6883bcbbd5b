"""The `cchc` command: Django's management commands under a short name.

cchc migrate | demo | serve | import-dossiers FILE | import-procedures FILE | any other manage.py command
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    # Our commands use dashes on the command line and underscores as Django command names.
    if args and "-" in args[0] and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    if args and args[0] == "serve":
        # Decided before the settings load: the server's processes share one cache (settings.CACHES).
        os.environ.setdefault("CCHC_SHARED_CACHE", "file")
    execute_from_command_line(["cchc", *args])


if __name__ == "__main__":
    main()
