"""The interaction's fields, listed once: what users edit, in the order screens and exports show them."""
from __future__ import annotations

EDITABLE_FIELDS = ("title", "type", "lead", "start_datetime", "end_datetime", "timezone", "location",
                   "description", "notes")
