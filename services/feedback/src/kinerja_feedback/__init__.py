"""Kinerja feedback service."""
