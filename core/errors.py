"""The base of every error whose message is written for the user.

The ground floor of the house: every package may import it, it imports nothing
of the project.  The CLI and the dashboard print these errors as one line,
without a traceback; every package's domain errors derive from ``OkaError``.
"""
from __future__ import annotations


class OkaError(Exception):
    """An error whose message tells the user what went wrong and what to do."""
