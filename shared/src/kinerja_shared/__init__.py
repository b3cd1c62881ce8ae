"""Kinerja shared library."""
