"""The local fake Procore (OAuth, REST API, webhooks, an admin page) for the demo and the tests.

It stands in for the real one over HTTP only: `coverwatch.procore` never imports it.
"""
