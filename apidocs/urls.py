
app_name = "apidocs"

urlpatterns: list = []
