"""Vendors (subcontractors), their contacts, and their assignment to projects with a status.

A vendor belongs to one organization; its certificates serve every project it is on.
"""
