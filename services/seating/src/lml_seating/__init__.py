"""Holds, GA pools, availability."""
