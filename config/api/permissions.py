"""Who may write: reads are public; a write needs a token and the model's Django permission.

A token is django-rest-knox's: the database keeps only its SHA-512 digest, it may expire, and
deleting it revokes it (`manage.py create_api_token`). Requests send `Authorization: Token
<key>`. Without a valid token a write is answered 401; a user whose groups lack the model's
add, change or delete permission (the `editors` group has them all) is answered 403.
"""

from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions, permissions


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check, refusing a key that is not text with a 401 rather than a 500."""

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed("Invalid token.") from error
        return super().authenticate_credentials(token)


class EditorPermissions(permissions.DjangoModelPermissions):
    """Anyone reads; POST needs the model's add permission, PUT and PATCH its change
    permission, DELETE its delete permission."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)


class WriteAccessMixin:
    """A viewset whose writes are authenticated by token and checked against the model's
    permissions. Reads authenticate nobody: an Authorization header on a GET is ignored.

    A refused write counts against the client's limits like any other request: REST framework
    checks the limits after the token and the permissions, so a 401 or 403 would never be
    counted, and a token could be guessed at any speed. Here it is, and past the limit the
    answer is a 429."""

    permission_classes = [EditorPermissions]

    def get_authenticators(self) -> list:
        if self.request is not None and self.request.method in permissions.SAFE_METHODS:
            return []
        return [TokenAuthentication()]

    def check_throttles(self, request) -> None:
        request.throttles_checked = True
        super().check_throttles(request)

    def handle_exception(self, exc):
        refused = (
            exceptions.NotAuthenticated,
            exceptions.AuthenticationFailed,
            exceptions.PermissionDenied,
        )
        request = self.request
        if (
            isinstance(exc, refused)
            and request is not None
            and not getattr(request, "throttles_checked", False)
        ):
            try:
                self.check_throttles(request)
            except exceptions.Throttled as throttled:
                exc = throttled
        return super().handle_exception(exc)
