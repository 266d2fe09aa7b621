from django.http import HttpResponse


def _stub(*args, **kwargs):  # placeholders until the API docs feature lands
    return HttpResponse("Not built yet", status=501)


docs = execute = _stub
