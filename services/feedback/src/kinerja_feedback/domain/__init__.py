"""Pure domain rules of the feedback service: SKM survey, redaction, complaints, abuse control."""
