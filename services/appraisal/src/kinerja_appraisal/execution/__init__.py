"""Execution: realisations with evidence, supervisor feedback notes, citizen feedback."""
