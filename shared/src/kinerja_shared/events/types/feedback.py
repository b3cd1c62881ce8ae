"""Events published by the feedback service (topic kinerja.feedback)."""
