"""Organizations (tenants), their users and roles, API keys, sign-in and sessions.
"""
