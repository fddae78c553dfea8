from django.http import Http404, HttpRequest, HttpResponse


def signal_list(request: HttpRequest) -> HttpResponse:
    raise Http404("Not yet")
