from django.http import HttpResponse


def _stub(*args, **kwargs):  # placeholders until the authenticate/edit feature lands
    return HttpResponse("Not built yet", status=501)


authenticate = oauth_callback = instance_edit = _stub
