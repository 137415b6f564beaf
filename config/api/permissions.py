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
    permissions. Reads authenticate nobody: an Authorization header on a GET is ignored."""

    permission_classes = [EditorPermissions]

    def get_authenticators(self) -> list:
        if self.request is not None and self.request.method in permissions.SAFE_METHODS:
            return []
        return [TokenAuthentication()]
