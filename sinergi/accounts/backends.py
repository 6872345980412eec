from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from . import lockout


class SinergiModelBackend(ModelBackend):
    """Django's ModelBackend with the account lockout (`lockout`), and loading the user's tenant and
    agency with the user on every request (every page and policy check needs them: one query, not three).

    Every password check goes through authenticate(), so the login form, the password change form and any
    later password path share one counter and one lock per account.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        device_cookie = request.COOKIES.get(lockout.DEVICE_COOKIE) if request is not None else None
        key = lockout.throttle_key_for(username=username, device_cookie=device_cookie)
        if lockout.is_locked(key=key):
            # Hash the password anyway (as ModelBackend does for unknown names): a locked account
            # answers exactly as slowly as any other wrong password.
            user_model().set_password(password)
            self._mark_locked(request)
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            if lockout.login_failure_register(key=key, username=username):
                self._mark_locked(request)
        else:
            lockout.login_success_register(key=key)
        return user

    @staticmethod
    def _mark_locked(request) -> None:
        if request is not None:
            request.sinergi_account_locked = True

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("tenant", "agency").get(pk=user_id)
        except (user_model.DoesNotExist, ValueError):
            return None
        return user if self.user_can_authenticate(user) else None
