"""Bappeda's weekly report: an XLSX workbook and an HTML page with charts."""
