"""Local, event-fed copy of units, employees, service points, periods and service users."""
