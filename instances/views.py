from django.http import HttpResponse


def _stub(*args, **kwargs):  # placeholders until the instances feature lands
    return HttpResponse("Not built yet", status=501)


instance_list = element_instance_list = instance_detail = instance_token = instance_delete = _stub
