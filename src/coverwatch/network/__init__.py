"""The network: one identity for a vendor several organizations know, and the sub's consent."""
