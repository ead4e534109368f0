"""Spreadsheet imports: a CSV or .xlsx file read, its columns mapped to fields, previewed through the
interaction schema, imported in the background in batches, reported and undone as one batch."""
