"""API building blocks and the campaign app's own endpoints."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaign import access, selectors
from campaign.models import Industry, Region


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Every scoped API list and detail starts from the access policy: out of scope is 404."""

    access = "scoped"
    permission_classes = [IsAuthenticated]

    def base_queryset(self):
        return self.queryset.all()

    def get_queryset(self):
        return access.visible(self.request.user, self.base_queryset())


class TokenView(ObtainAuthToken):
    """POST username and password; returns {"token": "..."} for `Authorization: Token ...`.

    Failed attempts count towards the same lockout as the login page (django-axes).
    """

    access = "public"

    def post(self, request: Request, *args, **kwargs) -> Response:
        credentials = {"username": request.data.get("username", "")}
        if AxesProxyHandler.is_locked(request._request, credentials):
            return Response(
                {
                    "detail": "多次登录失败，该账号已被暂时锁定 30 分钟。请稍后再试或联系系统管理员。"
                },
                status=429,
            )
        return super().post(request, *args, **kwargs)


class RegionSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "kind", "parent_code"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The province's regions (reference data, the same for every signed-in user)."""

    access = "authenticated"
    serializer_class = RegionSerializer
    filterset_fields = ["level", "kind"]
    search_fields = ["name", "code"]
    queryset = Region.objects.select_related("parent")


class IndustrySerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Industry
        fields = ["code", "name", "level", "parent_code"]


class IndustryViewSet(viewsets.ReadOnlyModelViewSet):
    """国民经济行业分类 (GB/T 4754-2017), reference data."""

    access = "authenticated"
    serializer_class = IndustrySerializer
    filterset_fields = ["level"]
    search_fields = ["name", "code"]
    lookup_field = "code"
    queryset = selectors.industry_list().select_related("parent")


class MeView(APIView):
    access = "authenticated"

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "full_name": serializers.CharField(),
                "role": serializers.CharField(),
                "role_display": serializers.CharField(),
                "region_code": serializers.CharField(allow_null=True),
                "reach": serializers.CharField(),
            },
        )
    )
    def get(self, request: Request) -> Response:
        user = request.user
        return Response(
            {
                "username": user.username,
                "full_name": user.full_name,
                "role": user.role,
                "role_display": user.get_role_display(),
                "region_code": user.region.code if user.region_id else None,
                "reach": access.jurisdiction(user).reach.value,
            }
        )
