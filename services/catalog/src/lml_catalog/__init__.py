"""Venues, seatmaps and events."""
