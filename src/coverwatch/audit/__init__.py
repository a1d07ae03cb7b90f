"""The append-only audit log: who changed what, when, before and after.

Every service records its changes here; nothing is ever updated or deleted.
"""
