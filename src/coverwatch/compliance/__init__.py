"""Compliance: evaluations and deficiencies, the status of each sub, approval, waivers, as-of.

An evaluation runs the pure engine on what is on file; the approval gate reads its verdict.
"""
