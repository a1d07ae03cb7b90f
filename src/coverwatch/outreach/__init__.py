"""Outreach: requests to subs and agents, magic links, cadences, emails, inbound mail.
"""
