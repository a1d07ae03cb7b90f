"""Vendors (subcontractors), their contacts, and their assignment to projects with a status.
"""
