"""Pure rules of webhooks: which events a subscription takes, which targets are allowed, when
to try again. No database, HTTP or clock of their own."""
