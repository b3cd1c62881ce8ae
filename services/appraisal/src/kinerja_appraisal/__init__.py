"""Kinerja appraisal service."""
