"""Insights: the shape of a site's interactions (per period and type, busiest leads and locations,
weekday × hour, the coming week) for the Finder's own query."""
