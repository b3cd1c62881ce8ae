"""Citizen feedback summaries per employee and period (local policy: docs/domain.md,
Citizen feedback summary per employee)."""
