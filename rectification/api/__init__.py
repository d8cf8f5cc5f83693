"""The API of stage 4, by subdomain like the pages: the plans and items with the enterprise's side
(`plan`), and the bureau's checks, extension decisions and proposals (`verification`); routes in
`rectification/api_urls.py`."""
