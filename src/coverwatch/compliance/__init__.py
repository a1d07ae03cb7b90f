"""Compliance: evaluations and deficiencies, the status of each sub, approval, waivers, as-of.
"""
