"""Projects of an organization and their requirement settings (template, holder, dates).

A project names its template; its vendors are evaluated against it.
"""
