"""The demo province: reference data (data.py) and the builder (build.py) behind `cchc demo`."""
