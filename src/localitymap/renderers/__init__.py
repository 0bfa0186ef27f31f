"""Stage 5, renderers: terminal tables, exported files, documents, maps and charts.

Heavy libraries (openpyxl, matplotlib) are imported inside the functions that need them.
"""
