from django.urls import path

from lotsenhaus.urls import urlpatterns as base_patterns


def boom(request):
    raise RuntimeError("deliberate failure for the error page test")


urlpatterns = [path("boom/", boom), *base_patterns]
