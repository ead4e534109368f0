"""The one-million-interaction benchmark of the IMS API (see load-tests/README.md)."""
