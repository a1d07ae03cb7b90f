"""The Procore integration: OAuth, API client, webhook receiver, sync, write-back.

Only the real Procore: the local fake one is the package `sandbox`, which nothing here imports.
"""
