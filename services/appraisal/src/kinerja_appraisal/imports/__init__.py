"""Bulk import of units and employees from CSV and XLSX files as HR exports them."""
