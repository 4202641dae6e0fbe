"""A search downloaded: every published practice matching it, as CSV or as an Excel workbook,
in the search page's order. Exports are rate-limited a visitor's address."""

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

from practices.exchange.exports import csv_chunks, export_filename, practice_url_prefix
from practices.exchange.exports_xlsx import xlsx_file
from practices.search.selector import search
from practices.throttles import ExportRateThrottle, seconds_to_wait


def practice_export(request):
    """Every published practice matching the search, as CSV, in the search page's order."""
    result, refusal = _export_search(request)
    if refusal:
        return refusal
    response = StreamingHttpResponse(
        csv_chunks(result.practices, url_prefix=practice_url_prefix(request)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(result.params)}"'
    return response


def practice_export_xlsx(request):
    """The CSV export's rows and columns as an Excel workbook, with what the search was."""
    result, refusal = _export_search(request)
    if refusal:
        return refusal
    search = [(name, result.params.getlist(name)) for name in result.params]
    workbook = xlsx_file(
        result.practices,
        url_prefix=practice_url_prefix(request),
        search=search,
        export_url=request.build_absolute_uri(),
    )
    filename = export_filename(result.params).removesuffix(".csv") + ".xlsx"
    return FileResponse(workbook, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export_search(request):
    """(the search of an export, None), or (None, the response refusing it): too many
    exports from one address, or a search that cannot run."""
    wait = seconds_to_wait(ExportRateThrottle(), request)
    if wait is not None:
        response = HttpResponse(
            f"Too many exports from your address: try again in {wait} seconds.\n",
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(wait)
        return None, response
    result = search(request.GET, page=None)
    if result.errors:
        message = "This search could not be run:\n" + "\n".join(result.problems) + "\n"
        refusal = HttpResponse(
            message, status=result.status, content_type="text/plain; charset=utf-8"
        )
        return None, refusal
    return result, None
