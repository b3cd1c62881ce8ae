"""Fairness signals per appraiser and period: numbers to look at, never a verdict."""
