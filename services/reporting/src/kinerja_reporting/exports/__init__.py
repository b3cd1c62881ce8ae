"""Every report as JSON, CSV or XLSX, and SVG charts."""
