"""The `editors` group opens the admin: whoever is put in it gets staff status, which the admin's
login asks for, and whoever leaves it loses that status unless something else still grants it
(a superuser, or another group). Membership changes from either side (the user's Groups or
`group.user_set`) are followed, and migration 0012 gave the status to those already in it.
"""

from django.contrib.auth.models import Group, User
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

EDITORS = "editors"


def editors_group_id() -> int | None:
    return Group.objects.filter(name=EDITORS).values_list("id", flat=True).first()


def grant_staff(user_ids) -> None:
    User.objects.filter(id__in=user_ids, is_staff=False).update(is_staff=True)


def revoke_staff(user_ids) -> None:
    """Staff status off for those who have no other reason to keep it."""
    User.objects.filter(id__in=user_ids, is_staff=True, is_superuser=False).exclude(
        groups__isnull=False
    ).update(is_staff=False)


@receiver(m2m_changed, sender=User.groups.through)
def follow_editors_membership(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    editors = editors_group_id()
    if editors is None:
        return
    if action == "pre_clear":
        # after the clear the rows are gone: note now whom it concerns
        if reverse:
            concerned = set(instance.user_set.values_list("id", flat=True))
            instance._editors_cleared = concerned if instance.pk == editors else set()
        else:
            in_editors = instance.groups.filter(id=editors).exists()
            instance._editors_cleared = {instance.pk} if in_editors else set()
        return
    if action == "post_clear":
        revoke_staff(getattr(instance, "_editors_cleared", set()))
        return
    if action not in ("post_add", "post_remove"):
        return
    if reverse:  # group.user_set.add(...): instance is the group, pk_set the users
        users = pk_set if instance.pk == editors else set()
    else:  # user.groups.add(...): instance is the user, pk_set the groups
        users = {instance.pk} if editors in pk_set else set()
    if not users:
        return
    if action == "post_add":
        grant_staff(users)
    else:
        revoke_staff(users)
    if not reverse and users:
        # the instance in hand says what the database now says
        instance.is_staff = User.objects.filter(pk=instance.pk).values_list("is_staff", flat=True)[
            0
        ]
