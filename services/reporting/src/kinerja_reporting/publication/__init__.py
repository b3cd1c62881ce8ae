"""Published IKM results and follow-up plans: what anyone may read without a token."""
