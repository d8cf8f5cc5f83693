"""Every write of the inspections app, by subdomain: `selfcheck` (stage 1), `onsite` (stage 2),
`ledger` (the only writer of problems), `evidence` (files)."""
