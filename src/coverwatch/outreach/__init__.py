"""Outreach: requests to subs and agents, magic links, cadences, emails, inbound mail.

A planner makes the requests match each sub's status; emails go on cadence, once each.
"""
