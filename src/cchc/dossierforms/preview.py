"""The filled form as HTML for the edit page's preview: the same document model the .docx is made from."""

from __future__ import annotations

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from cchc.reports.rendering import AdministrativeDocument, Heading, ImageRow, Paragraph, SignatureRow, Table
from cchc.reports.rendering.document import Run


def _runs(paragraph: Paragraph) -> SafeString:
    parts = []
    for part in paragraph.content:
        if not isinstance(part, Run):
            continue
        text = escape(part.text)
        if part.bold:
            text = f"<strong>{text}</strong>"
        if part.italic:
            text = f"<em>{text}</em>"
        parts.append(text)
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


def _table(table: Table) -> SafeString:
    def cells(row, tag: str) -> SafeString:
        return format_html_join(
            "",
            "<" + tag + ' colspan="{}" rowspan="{}">{}</' + tag + ">",
            ((c.colspan, c.rowspan, c.plain_text) for c in row),
        )

    head = format_html_join("", "<tr>{}</tr>", ((cells(row, "th"),) for row in table.header_rows))
    body = format_html_join("", "<tr>{}</tr>", ((cells(row, "td"),) for row in table.body_rows))
    return format_html('<table class="form-preview__table"><thead>{}</thead><tbody>{}</tbody></table>', head, body)


def document_html(doc: AdministrativeDocument) -> SafeString:
    parts = [
        format_html(
            '<div class="form-preview__head"><div><div>{}</div><strong>{}</strong>{}</div>'
            "<div><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong><div><strong>Độc lập - Tự do - Hạnh phúc"
            "</strong></div><em>{}</em></div></div>",
            doc.parent_authority.upper(),
            doc.issuing_agency.upper(),
            format_html("<div>{}</div>", doc.number_line) if doc.show_number else "",
            doc.date_line,
        ),
        format_html('<p class="form-preview__title"><strong>{}</strong></p>', doc.document_type.upper()),
    ]
    if doc.excerpt.strip():
        parts.append(format_html('<p class="form-preview__title"><strong>{}</strong></p>', doc.excerpt))
    for block in doc.body:
        if isinstance(block, Heading):
            parts.append(format_html("<p><strong>{} {}</strong></p>", block.number, block.text))
        elif isinstance(block, Paragraph):
            parts.append(format_html('<p class="form-preview__{}">{}</p>', block.align, _runs(block)))
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, ImageRow):
            for image in block.images:
                parts.append(format_html('<p class="form-preview__qr">[QR] {}</p>', image.caption))
        elif isinstance(block, SignatureRow):
            parts.append(
                format_html(
                    '<div class="form-preview__signatures">{}</div>',
                    format_html_join(
                        "",
                        '<div><strong>{}</strong><div><em>{}</em></div><div class="form-preview__sign">{}</div></div>',
                        ((c.title.upper(), c.note, c.name) for c in block.columns),
                    ),
                )
            )
    if doc.signature is not None:
        parts.append(
            format_html(
                '<div class="form-preview__signatures"><div><em>Nơi nhận:</em>{}</div><div><strong>{}</strong>'
                '<div class="form-preview__sign">{}</div></div></div>',
                format_html_join("", "<div>{}</div>", ((line,) for line in doc.recipient_lines)),
                doc.signature.title.upper(),
                doc.signature.name,
            )
        )
    return format_html('<div class="form-preview">{}</div>', mark_safe("".join(parts)))  # noqa: S308
