"""Kinerja reporting service."""
