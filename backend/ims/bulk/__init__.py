"""Bulk actions from the Finder: change the type, lead or location of many records, or delete them, in batches."""
