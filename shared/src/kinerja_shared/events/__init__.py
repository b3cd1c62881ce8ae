"""Events: the CloudEvents envelope, the catalogue of event types, topics."""
