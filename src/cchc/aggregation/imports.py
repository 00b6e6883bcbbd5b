"""The import of existing reports moved to the package cchc.aggregation.importing; this name stays for the callers
that import it (the demo's tests, scripts)."""

from .importing import *  # noqa: F403 - the same public names
from .importing import __all__  # noqa: F401
