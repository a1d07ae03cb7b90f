"""The demo: a sample general contractor with projects and subs in every status, the local
Procore sandbox connected to it, and the certificates it draws for a newcomer to upload.
"""
