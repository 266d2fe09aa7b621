from django.http import HttpResponse


def instance_list(request):  # placeholder until the instances feature lands
    return HttpResponse("Instances")
