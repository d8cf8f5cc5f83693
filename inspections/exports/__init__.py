"""Excel and PDF builders of the inspections app, by subdomain (`selfcheck`, `ledger`, `onsite`):
pure functions of already-scoped rows."""
