"""Complaint deadline reminders: scanned periodically, each published once per deadline."""
