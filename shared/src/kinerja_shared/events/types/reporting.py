"""Events published by the reporting service (topic kinerja.reporting)."""
