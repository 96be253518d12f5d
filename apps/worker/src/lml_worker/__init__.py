"""Periodic jobs: outbox processing and expiry sweepers."""
