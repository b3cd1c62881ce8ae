"""Subscriptions: what a system wants delivered, where, and how it is signed."""
