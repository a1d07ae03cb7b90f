"""Server-rendered pages: the Procore embedded panel and its sign-in (templates/ and static/)."""
