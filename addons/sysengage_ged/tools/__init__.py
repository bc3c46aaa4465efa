"""Plain Python helpers of the GED archive (no ORM): hash chain, RFC 3161 client, PAdES signing."""
