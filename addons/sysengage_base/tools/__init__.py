"""Plain-Python helpers of sysengage_base (no ORM import)."""
