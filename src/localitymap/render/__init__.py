"""Writers: terminal tables, exported files and (later) documents and maps.

Heavy libraries (openpyxl, matplotlib) are imported inside the functions that need them.
"""
