"""Requirement templates and the evaluation engine: what a project asks, and the verdict.

The engine and its rules are pure functions; templates and versions are stored per organization.
"""
