"""Organizations (tenants), their users and roles, API keys, sign-in and sessions.

Every row of customer data carries an organization id; roles decide who may change what.
"""
