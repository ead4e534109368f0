"""Smoke test of a deployed Interaction Management System: a few real requests with pass/fail thresholds.

Standard library only, so it runs from a checkout on any machine with Python 3.11 (a deploy runner,
a laptop) with nothing installed. `make smoke BASE_URL=…` runs it; settings come from the environment
(`settings.py`)."""
