"""Tooling around the event stream: documentation, schemas, export, topic admin."""
