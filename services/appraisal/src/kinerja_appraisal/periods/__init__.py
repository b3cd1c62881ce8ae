"""Appraisal periods and the organisation predikat per unit and period."""
