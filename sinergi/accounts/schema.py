"""OpenAPI description of Sinergi's API token authentication (drf-spectacular extension).

Imported from AccountsConfig.ready() so that the extension is registered before a schema is built.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class ApiTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "sinergi.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(header_name="HTTP_AUTHORIZATION", token_prefix="Token")  # noqa: S106
        scheme["description"] = (
            "Personal API token created from a 2FA-verified session (Account → API tokens): "
            "send `Authorization: Token <key>`. Keys are stored hashed and can be revoked."
        )
        return scheme
