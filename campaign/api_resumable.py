"""/api/v1/uploads/: resumable uploads of large files (`campaign/resumable.py`).

- `POST uploads/` (JSON name, size, content_type) → 201 with the upload (offset 0) and its `url`;
- `GET` / `HEAD uploads/<id>/` → how much has arrived (`offset`, also the `Upload-Offset` header);
- `PATCH uploads/<id>/` with the raw piece (`application/offset+octet-stream`, or plain
  `application/octet-stream`) and the `Upload-Offset` header it starts at → 200 with the new
  offset; 409 with `current.offset` when the offset is not what has arrived;
- `POST uploads/<id>/` the same as a multipart form (`offset`, `chunk`), for clients and proxies
  that cannot send PATCH or a raw body.

Only the owner sees an upload (another user's is 404); a taken or expired upload is gone (404).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from campaign import resumable
from campaign.api import ScopedActionAPI
from campaign.models import ResumableUpload
from campaign.schema import CONFLICT_BODY, ERROR_BODY

CHUNK_TYPE = "application/offset+octet-stream"
OCTET_TYPE = "application/octet-stream"
OFFSET_HEADER = "Upload-Offset"
OFFSET_RE = re.compile(r"^\d{1,19}$")


class HasRole(BasePermission):
    """Anyone who may upload evidence in some role; the owner-only policy keeps them apart."""

    message = "您的账号尚未分配角色，不能上传文件。"

    def has_permission(self, request, view) -> bool:
        return bool(request.user.is_superuser or request.user.role)


class ChunkTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = (
        f"单次上传的数据不能超过 {resumable.MAX_CHUNK_BYTES // (1024 * 1024)} MB，请分段上传。"
    )
    default_code = "chunk_too_large"


class ChunkParser(BaseParser):
    """The raw bytes of one piece (tus's media type), read no further than the largest piece."""

    media_type = CHUNK_TYPE

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        if stream is None:
            return b""
        data = stream.read(resumable.MAX_CHUNK_BYTES + 1)
        if len(data) > resumable.MAX_CHUNK_BYTES:
            raise ChunkTooLarge()
        return data


class OctetChunkParser(ChunkParser):
    """The same piece sent as plain `application/octet-stream` (what generic HTTP tools send)."""

    media_type = OCTET_TYPE


class UploadSerializer(serializers.ModelSerializer):
    offset = serializers.IntegerField(
        source="received", read_only=True, help_text="服务器已收到的字节数：下一段从这里开始"
    )
    complete = serializers.BooleanField(
        source="is_complete", read_only=True, help_text="已全部收到"
    )
    url = serializers.SerializerMethodField(help_text="续传地址（PATCH 或 POST）")

    class Meta:
        model = ResumableUpload
        fields = [
            "id",
            "name",
            "size",
            "content_type",
            "offset",
            "complete",
            "sha256",
            "created_at",
            "completed_at",
            "expires_at",
            "url",
        ]
        read_only_fields = fields
        extra_kwargs = {"sha256": {"help_text": "全部收到后文件的 SHA-256（十六进制）；此前为空"}}

    def get_url(self, obj) -> str:
        return reverse("api-upload", args=[obj.pk])


class UploadStartSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, help_text="文件名")
    # the service says the same (and a caller's own smaller limit); here for the schema
    size = serializers.IntegerField(
        min_value=1,
        max_value=settings.RESUMABLE_MAX_BYTES,
        error_messages={
            "max_value": f"文件过大：单个文件不能超过 {settings.RESUMABLE_MAX_BYTES / 2**20:g} MB。"
        },
        help_text="文件大小（字节）",
    )
    content_type = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="文件类型"
    )


class ChunkFormSerializer(serializers.Serializer):
    offset = serializers.IntegerField(
        min_value=0, max_value=2**63 - 1, help_text="本段在文件中的起始位置（字节）"
    )
    chunk = serializers.FileField(allow_empty_file=True, help_text="本段数据")


# what a piece may answer beyond the usual 400/401/403/404
APPEND_ANSWERS = {
    200: UploadSerializer,
    409: OpenApiResponse(
        CONFLICT_BODY, description="偏移量与服务器已收到的不一致：从 current.offset 继续"
    ),
    413: OpenApiResponse(ERROR_BODY, description="单次上传的数据过大"),
}


def _answer(upload: ResumableUpload, status: int = 200) -> Response:
    response = Response(UploadSerializer(upload).data, status=status)
    response[OFFSET_HEADER] = str(upload.received)
    response["Upload-Length"] = str(upload.size)
    response["Cache-Control"] = "no-store"  # an offset from a cache would resend or skip data
    return response


class UploadStartAPI(GenericAPIView):
    """开始一次断点续传上传：声明文件名、大小和类型。"""

    access = "scoped"
    permission_classes = [IsAuthenticated, HasRole]
    queryset = ResumableUpload.objects.all()
    serializer_class = UploadSerializer

    @extend_schema(
        operation_id="upload_start",
        request=UploadStartSerializer,
        responses={201: UploadSerializer},
    )
    def post(self, request: Request) -> Response:
        body = UploadStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = resumable.upload_start(actor=request.user, **body.validated_data)
        response = _answer(upload, status=201)
        response["Location"] = reverse("api-upload", args=[upload.pk])
        return response


class UploadAPI(ScopedActionAPI):
    """一次断点续传上传：查询已收到多少，从该处继续上传。"""

    permission_classes = [IsAuthenticated, HasRole]
    queryset = ResumableUpload.objects.all()
    serializer_class = UploadSerializer
    parser_classes = [ChunkParser, OctetChunkParser, MultiPartParser]

    def get_queryset(self):
        # a taken or expired upload is gone for the client: it starts a new one
        return super().get_queryset().live(at=timezone.now())

    @extend_schema(operation_id="upload_status", responses=UploadSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return _answer(self.get_object())

    @extend_schema(
        operation_id="upload_append",
        parameters=[
            OpenApiParameter(
                OFFSET_HEADER,
                OpenApiTypes.INT,
                OpenApiParameter.HEADER,
                required=True,
                description="本段在文件中的起始位置（字节），须等于服务器已收到的字节数",
            )
        ],
        request={CHUNK_TYPE: OpenApiTypes.BINARY, OCTET_TYPE: OpenApiTypes.BINARY},
        responses={
            **APPEND_ANSWERS,
            415: OpenApiResponse(
                ERROR_BODY, description=f"请求内容类型不对：须为 {CHUNK_TYPE}（或 {OCTET_TYPE}）"
            ),
        },
    )
    def patch(self, request: Request, pk: int) -> Response:
        upload = self.get_object()
        header = request.headers.get(OFFSET_HEADER, "").strip()
        if not OFFSET_RE.match(header):
            raise serializers.ValidationError(
                {"offset": [f"请在 {OFFSET_HEADER} 请求头中给出本段的起始位置（非负整数，字节）。"]}
            )
        if request.content_type.split(";")[0].strip().lower() not in (CHUNK_TYPE, OCTET_TYPE):
            raise exceptions.UnsupportedMediaType(request.content_type)
        chunk = request.data if isinstance(request.data, bytes) else b""
        upload = resumable.upload_append(
            actor=request.user, upload=upload, offset=int(header), chunk=chunk
        )
        return _answer(upload)

    @extend_schema(
        operation_id="upload_append_form",
        request={"multipart/form-data": ChunkFormSerializer},
        responses={
            **APPEND_ANSWERS,
            415: OpenApiResponse(ERROR_BODY, description="请求内容类型不对：须为表单"),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        upload = self.get_object()
        body = ChunkFormSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        part = body.validated_data["chunk"]
        if part.size > resumable.MAX_CHUNK_BYTES:
            raise ChunkTooLarge()
        upload = resumable.upload_append(
            actor=request.user,
            upload=upload,
            offset=body.validated_data["offset"],
            chunk=part.read(),
        )
        return _answer(upload)
