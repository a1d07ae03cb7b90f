"""Reading ACORD 25 certificates from PDFs and images; pure functions, no database, no network."""
