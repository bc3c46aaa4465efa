"""Retry delays for transient transport failures (exponential back-off with a ceiling)."""

from datetime import timedelta

BASE_DELAY_MINUTES = 5
MAX_DELAY_MINUTES = 24 * 60


def retry_delay(attempt, base_minutes=BASE_DELAY_MINUTES, max_minutes=MAX_DELAY_MINUTES):
    """The delay before retry number ``attempt`` (1 for the first retry): 5, 10, 20, 40 min... capped."""
    if attempt < 1:
        raise ValueError("attempt starts at 1")
    minutes = base_minutes * (2 ** (attempt - 1))
    return timedelta(minutes=min(minutes, max_minutes))
