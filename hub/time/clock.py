"""The build's "today". A module of its own, so a build that finds nothing changed loads no models."""

from __future__ import annotations

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo


def today_from_env(tz: str = "Europe/Oslo") -> dt.date:
    """``SOURCE_DATE_EPOCH`` when set, so builds are reproducible; else now, in ``tz``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = float(epoch) if epoch else time.time()
    return dt.datetime.fromtimestamp(stamp, ZoneInfo(tz)).date()
