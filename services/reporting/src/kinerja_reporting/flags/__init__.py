"""Units needing improvement: flags raised and cleared as a unit's IKM changes."""
