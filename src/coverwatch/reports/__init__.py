"""Reports: the time saved per organization and period, and the calendar of coverage ends."""
