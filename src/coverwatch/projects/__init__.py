"""Projects of an organization and their requirement settings (template, holder, dates).
"""
