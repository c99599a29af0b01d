"""Small exports download at once: CSV streamed as it is read, XLSX built in memory (a few MB)."""

import io

from django.http import HttpResponse, StreamingHttpResponse

from ..columns import Format, Layout
from ..writers import csv_chunks
from .files import write_export
from .reading import batches, request_cursor
from .scope import Scope, export_query


def download_now(scope: Scope, fmt: Format, layout: Layout, filename: str):
    if fmt is Format.XLSX:
        buffer = io.BytesIO()
        with request_cursor() as (vendor, _, cursor):
            query = export_query(scope, layout, fmt, vendor)
            write_export(buffer, batches(cursor, query), query, fmt)
        response = HttpResponse(buffer.getvalue(), content_type=fmt.content_type)
    else:

        def stream():
            with request_cursor() as (vendor, _, cursor):
                query = export_query(scope, layout, fmt, vendor)
                yield from csv_chunks(batches(cursor, query), query, bom=fmt is Format.CSV_EXCEL)

        response = StreamingHttpResponse(stream(), content_type=fmt.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
