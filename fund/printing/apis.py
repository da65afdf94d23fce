"""API: a document's status and file for those who may see it, and public verification by code."""

from typing import Any

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import BinaryRenderer

from .models import Document
from .selectors import document_get_for_user, document_get_ready_for_user, document_verify
from .views import log_subject_view, pdf_response

NOT_FOUND = "未查到该验证码对应的文件"


class PdfRenderer(BinaryRenderer):
    """Lets a client ask for application/pdf; errors still come back as JSON, labelled so."""

    media_type = "application/pdf"
    format = "pdf"


class DocumentDetailApi(APIView):
    @extend_schema_serializer(component_name="PrintedDocument")
    class OutputSerializer(serializers.ModelSerializer):
        status_display = serializers.CharField(source="get_status_display")
        verification_code = serializers.CharField(source="code_display")
        download_url = serializers.SerializerMethodField()

        class Meta:
            model = Document
            fields = [
                "id", "kind", "title", "status", "status_display", "subject_label", "verification_code",
                "sha256", "created_at", "rendered_at", "download_url",
            ]

        def get_download_url(self, document: Document) -> str | None:
            if not document.is_ready:
                return None
            url = reverse("printing_api:document-file", args=[document.pk])
            request = self.context.get("request")
            return request.build_absolute_uri(url) if request else url

    @extend_schema(responses=OutputSerializer, summary="文件状态")
    def get(self, request: Request, pk: int) -> Response:
        document = document_get_for_user(user=request.user, pk=pk)
        return Response(self.OutputSerializer(document, context={"request": request}).data)


class DocumentFileApi(APIView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(responses={(200, "application/pdf"): bytes}, summary="下载文件 PDF")
    def get(self, request: Request, pk: int) -> Any:
        document = document_get_ready_for_user(user=request.user, pk=pk)
        log_subject_view(user=request.user, document=document)
        return pdf_response(document)


class VerifyApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema_serializer(component_name="DocumentVerification")
    class OutputSerializer(serializers.Serializer):
        genuine = serializers.BooleanField()
        verification_code = serializers.CharField()
        title = serializers.CharField()
        issued_at = serializers.DateTimeField()
        subject = serializers.CharField()
        sha256 = serializers.CharField()

    @extend_schema(responses=OutputSerializer, summary="验证文件真伪")
    def get(self, request: Request, code: str) -> Response:
        document = document_verify(code=code)
        if document is None:
            return Response({"genuine": False, "detail": NOT_FOUND}, status=404)
        data = {
            "genuine": True,
            "verification_code": document.code_display,
            "title": document.title,
            "issued_at": document.created_at,
            "subject": document.subject_label,
            "sha256": document.sha256,
        }
        return Response(self.OutputSerializer(data).data)


app_name = "printing_api"

urlpatterns = [
    path("documents/<int:pk>/", DocumentDetailApi.as_view(), name="document-detail"),
    path("documents/<int:pk>/file", DocumentFileApi.as_view(), name="document-file"),
    path("verify/<str:code>/", VerifyApi.as_view(), name="verify"),
]
