"""What machines read: calendars, open data (HSDS, CPSV-AP-NO), structured data."""

#: The open data's CSV tables (HSDS), as the one door in publishes them (``apne-data/<table>.csv``):
#: named here, where a build that finds nothing changed can read them without the exports' imports.
HSDS_TABLES = ("organizations", "services", "locations", "addresses", "service_at_locations", "schedules", "languages")
