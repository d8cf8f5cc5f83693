"""Forms of the inspections app, by subdomain: `selfcheck` (stage 1) and `onsite` (stage 2)."""
