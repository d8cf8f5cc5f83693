"""The base app: regions, people, the campaign calendar and organisation, and the shared kernel
(access policy, transitions, history, Excel, uploads, the edge, base views)."""
