from rest_framework.pagination import PageNumberPagination

from campaign.counting import CountCachedPaginator


class Pagination(PageNumberPagination):
    """Page-number pagination for every API list (own module: DRF imports it from settings)."""

    django_paginator_class = CountCachedPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
