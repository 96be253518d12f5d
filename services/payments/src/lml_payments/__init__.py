"""Stripe intents, webhook inbox, outbox processing."""
