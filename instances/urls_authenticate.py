
app_name = "instances_auth"

urlpatterns: list = []
