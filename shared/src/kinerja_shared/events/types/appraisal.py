"""Events published by the appraisal service (topic kinerja.appraisal)."""
