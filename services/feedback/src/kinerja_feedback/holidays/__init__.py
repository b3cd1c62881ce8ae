"""The holiday calendar of the complaint deadlines: shipped lists, loading, the calendar."""
