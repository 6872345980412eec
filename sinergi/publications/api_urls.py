from django.urls import path

from . import api, api_rules

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
    path("drafts/<uuid:pk>/flags/", api_rules.DraftFlagsApi.as_view(), name="draft_flags"),
    path("rules/", api_rules.RulesApi.as_view(), name="rules"),
    path("photos/check/", api.PhotoCheckApi.as_view(), name="photo_check"),
    path("partners/", api.PartnerListApi.as_view(), name="partner_list"),
    path("partners/<uuid:pk>/", api.PartnerDetailApi.as_view(), name="partner_detail"),
    path("partners/<uuid:pk>/tokens/", api.PartnerTokenApi.as_view(), name="partner_tokens"),
    path("partners/<uuid:pk>/takedowns/", api.PartnerTakedownApi.as_view(), name="partner_takedowns"),
    path("tokens/<uuid:pk>/revoke/", api.TokenRevokeApi.as_view(), name="token_revoke"),
    path("takedowns/<uuid:pk>/answer/", api.TakedownAnswerApi.as_view(), name="takedown_answer"),
]
