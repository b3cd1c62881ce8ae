"""Rebuild: drop the read models and replay both source topics from the beginning."""
