"""Kinerja gateway service."""
