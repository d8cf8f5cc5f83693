"""Every read of the inspections app, by subdomain (`selfcheck`, `onsite`, `ledger`, `catalogue`,
`evidence`); each starts from the access policy."""
