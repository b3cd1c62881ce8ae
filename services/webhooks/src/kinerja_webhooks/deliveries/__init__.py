"""Deliveries: stored from the stream, sent signed, retried, dead-lettered, redelivered."""
