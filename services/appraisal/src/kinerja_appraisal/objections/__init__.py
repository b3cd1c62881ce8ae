"""Objections (keberatan) to final assessments, decided by the supervisor's supervisor."""
