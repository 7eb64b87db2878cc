"""What machines read: calendars, open data (HSDS, CPSV-AP-NO), structured data."""
