"""The API of the inspections app, by subdomain (`catalogue`, `selfcheck`, `ledger`, `onsite`);
routes in `inspections/api_urls.py`."""
