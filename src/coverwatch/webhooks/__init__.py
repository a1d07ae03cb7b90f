"""Outbound webhooks: organizations register endpoints and receive signed event deliveries."""
