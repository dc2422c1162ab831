"""Editing medborgarlöften in the staff area (editors)."""
