"""The OpenAPI schema says every answer an operation can give, errors included, with its body."""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.plumbing import build_basic_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

# {"detail": "…"} or {"detail": ["…"]}, and for field errors each field's messages under its name
ERROR_BODY = build_object_type(
    properties={
        "detail": {
            "oneOf": [
                build_basic_type(OpenApiTypes.STR),
                {"type": "array", "items": {"type": "string"}},
            ],
            "description": "说明：一条消息或消息列表",
        }
    },
    # a field's messages, or for a list or nested field its items' messages by position
    additionalProperties=True,
    description="错误说明；字段错误以字段名为键",
)
CONFLICT_BODY = build_object_type(
    properties={
        "detail": build_basic_type(OpenApiTypes.STR),
        "current": build_object_type(
            additionalProperties=True, description="服务器上的当前版本（请核对后用其修订号重试）"
        ),
    },
    required=["detail", "current"],
)
ERRORS = {
    "400": "请求内容或参数不正确（字段错误以字段名为键）",
    "401": "未登录，或令牌无效",
    "403": "无权执行此操作",
    "404": "不存在，或不在您的管辖范围内（列表：页码超出范围）",
}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        checks = self.view.permission_classes
        public = not checks or any(issubclass(p, AllowAny) for p in checks)
        codes = ["400"]
        if not public:
            codes += ["401", "403"]
        # one object out of reach is "not found"; a list's page past the end too
        if "{" in self.path or self.method == "GET":
            codes.append("404")
        # what a view answers beyond these, e.g. 429 while an account is locked
        extra = getattr(self.view, "error_responses", {})
        for code in [*codes, *extra]:
            responses.setdefault(
                code,
                self._get_response_for_code(
                    OpenApiResponse(ERROR_BODY, description=extra.get(code) or ERRORS[code]),
                    code,
                    direction=direction,
                ),
            )
        if getattr(self.view, "answers_conflict", False) and self.method == "POST":
            responses.setdefault(
                "409",
                self._get_response_for_code(
                    OpenApiResponse(
                        CONFLICT_BODY, description="已被他人修改：附服务器上的当前版本"
                    ),
                    "409",
                    direction=direction,
                ),
            )
        return responses
