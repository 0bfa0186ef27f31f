"""Readers that turn user files (CSV exported from Excel, XLSX) into plain rows of text."""
