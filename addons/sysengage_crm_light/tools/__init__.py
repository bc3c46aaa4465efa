"""Plain-Python helpers of sysengage_crm_light (no ORM import)."""
