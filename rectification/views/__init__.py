"""Pages of stage 4, by subdomain: the plan and its items (`plan`), verification, extensions and
proposals (`verification`), guidance (`guidance`)."""
