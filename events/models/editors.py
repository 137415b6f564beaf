"""The editors' public names."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models


class EditorProfile(models.Model):
    """The name under which an editor's changes are shown to the public.

    The public history and the change feed never show an editor's login (half of what a
    password guesser needs): they show `display_name`, which the editor chooses in the admin,
    or "editor <number>" while it is blank.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,  # the profile is part of the account
        related_name="editor_profile",
        help_text="The editor's account.",
    )
    display_name = models.CharField(
        max_length=60,
        blank=True,
        help_text='The name the public history shows for this editor; blank shows "editor '
        '<number>". Never a login username.',
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["display_name"],
                condition=~models.Q(display_name=""),
                name="editor_display_name_unique",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or f"editor {self.user_id}"

    def clean(self) -> None:
        name = self.display_name.strip()
        if name and get_user_model().objects.filter(username__iexact=name).exists():
            raise ValidationError(
                {"display_name": "That is a login username: choose a name nobody logs in with."}
            )
        taken = EditorProfile.objects.filter(display_name=name).exclude(user_id=self.user_id)
        if name and taken.exists():
            raise ValidationError({"display_name": "Another editor goes by that name."})
        self.display_name = name
