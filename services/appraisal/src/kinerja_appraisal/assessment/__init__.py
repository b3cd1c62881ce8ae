"""Assessments: ratings, predikat, unit finalisation against the kurva, follow-up."""
