"""Performance views: predikat distribution, employee history, awards, development needs."""
