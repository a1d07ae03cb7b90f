"""The Procore integration: OAuth, API client, webhook receiver, sync, write-back, sandbox."""
