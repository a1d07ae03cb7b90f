"""Certificates on file: stored documents, what was read from them, their policies, review.

A document is kept before anything else; reading it is a job; copies of one policy combine.
"""
