"""Citizen feedback summaries per employee and period (local policy of DOMAIN.md)."""
