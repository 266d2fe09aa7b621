from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cloud_elements import CloudElementsError, get_client


def index(request: HttpRequest) -> HttpResponse:
    try:
        elements, error = get_client().element_list(), None
    except CloudElementsError as exc:
        elements, error = [], exc
    return render(request, "catalog/index.html", {"elements": elements, "error": error})


def refresh(request: HttpRequest) -> HttpResponse:  # stub: the catalog feature replaces it
    return HttpResponse("Not built yet", status=501)
