from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class SinergiModelBackend(ModelBackend):
    """Django's ModelBackend, loading the user's tenant and agency with the user on every request
    (every page and policy check needs them: one query instead of three)."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("tenant", "agency").get(pk=user_id)
        except (user_model.DoesNotExist, ValueError):
            return None
        return user if self.user_can_authenticate(user) else None
