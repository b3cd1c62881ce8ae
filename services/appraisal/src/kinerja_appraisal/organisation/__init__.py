"""Organisation: the unit tree and the employees, with their moves."""
