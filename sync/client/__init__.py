"""The desktop side of sync: enrollment, signed transport, push of the outbox, pull of reference data."""
