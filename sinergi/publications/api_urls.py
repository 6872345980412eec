from django.urls import path

from . import api

app_name = "publications_api"
urlpatterns = [
    path("check/", api.PpraCheckApi.as_view(), name="check"),
    path("newsroom/check/", api.NewsroomCheckApi.as_view(), name="newsroom_check"),
    path("drafts/", api.DraftListApi.as_view(), name="draft_list"),
    path("drafts/<uuid:pk>/", api.DraftDetailApi.as_view(), name="draft_detail"),
    path("drafts/<uuid:pk>/versions/", api.DraftVersionApi.as_view(), name="draft_versions"),
    path("drafts/<uuid:pk>/comments/", api.DraftCommentApi.as_view(), name="draft_comments"),
    path("drafts/<uuid:pk>/approve/", api.DraftApproveApi.as_view(), name="draft_approve"),
    path("drafts/<uuid:pk>/return/", api.DraftReturnApi.as_view(), name="draft_return"),
]
