from django.urls import path

from . import api

app_name = "publications_api"
urlpatterns = [
    path("check/", api.PpraCheckApi.as_view(), name="check"),
    path("newsroom/check/", api.NewsroomCheckApi.as_view(), name="newsroom_check"),
]
