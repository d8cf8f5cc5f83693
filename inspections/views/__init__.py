"""Pages of the inspections app, by subdomain: `selfcheck`, `onsite`, `ledger`, `evidence`."""
