"""Citizen satisfaction (IKM) per service point and unit, maintained incrementally."""
