"""Kinerja webhooks: events pushed, signed, to other government systems."""
