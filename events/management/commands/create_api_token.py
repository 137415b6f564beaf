"""Give an editor a token for the write API, or revoke every token they hold."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME and print it on the last line (it is shown once: "
        "only its digest is stored). With --revoke, delete every token the user holds instead."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="The user the token writes as.")
        parser.add_argument(
            "--expires-in",
            type=int,
            metavar="DAYS",
            help="The token stops working after this many days (default: never).",
        )
        parser.add_argument(
            "--revoke", action="store_true", help="Delete all of the user's tokens."
        )

    def handle(self, *args, username: str, expires_in: int | None, revoke: bool, **options):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user {username!r}.") from error
        if revoke:
            count, _by_model = AuthToken.objects.filter(user=user).delete()
            self.stdout.write(f"Revoked {count} token(s) of {username}.")
            return
        if expires_in is not None and not 1 <= expires_in <= 3650:
            raise CommandError("--expires-in is a number of days from 1 to 3650.")
        expiry = timedelta(days=expires_in) if expires_in else None
        token, key = AuthToken.objects.create(user=user, expiry=expiry)
        if not user.has_perm("statements.change_statement"):
            self.stderr.write(
                f"{username} may not edit the dataset yet: add them to the `editors` group "
                "(or give them the permissions) for their writes to be accepted."
            )
        until = f"until {token.expiry:%Y-%m-%d %H:%M} UTC" if token.expiry else "until revoked"
        self.stdout.write(f"Token for {username}, valid {until}. Send it as:")
        self.stdout.write("Authorization: Token <the token below>")
        self.stdout.write(key)
