"""PDF builders of a case's documents (文书) and their 送达回证: official layout, A4, the CJK font
installed by `make` (the same approach as the notice's, `cases.exports.notice_pdf`).

A document prints only what was frozen when it was issued (`CaseDocument.content`), so a reprint
never differs from what was served. One template per kind in `templates/cases/documents/`.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from cases.exports import bureau_name


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def document_html(document: Any) -> str:
    return render_to_string(f"cases/documents/{document.kind}.html", {"c": document.content})


def document_pdf(document: Any) -> bytes:
    return _pdf(document_html(document))


def _notice_name(notice: Any) -> str:
    return "行政处罚听证告知书" if notice.hearing_right else "行政处罚事先告知书"


def service_record_html(record: Any) -> str:
    """送达回证: what was served, on whom, where, how, when, signed by whom (民事诉讼法 art. 87–89)."""
    if record.document_id:
        document = record.document
        name, number = document.content["title"], document.number
        party = document.content["party"]["name"]
    else:
        name, number, party = _notice_name(record.notice), record.notice.number, None
    return render_to_string(
        "cases/documents/service_record.html",
        {
            "c": {"title": "送达回证", "bureau": bureau_name(record.county, record.city)},
            "r": {
                "document_name": name,
                "number": number,
                "party": party or record.enterprise.name,
                "address": record.address,
                "method": record.get_method_display(),
                "served_on": f"{record.served_on.year}年{record.served_on.month}月{record.served_on.day}日",
                "recipient": record.recipient,
                "servers": record.servers,
                "witnesses": record.witnesses,
                "refusal": record.refusal,
                "note": record.note,
            },
        },
    )


def service_record_pdf(record: Any) -> bytes:
    return _pdf(service_record_html(record))
