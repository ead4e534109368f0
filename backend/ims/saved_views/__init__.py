"""Saved views: a named state of the Finder, personal or shared with the site."""
