"""Keep each statement's copy of its speaker's names current, for search.

A statement is searchable by every spelling of its speaker's name (`Zelensky` finds what
`Zelenskiy` said), so the names are copied onto the statement when it is saved (fixture loads
included: `loaddata` sends pre_save too) and onto all their statements when a person changes.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from config.db.search import vocabulary
from events.models import Person
from statements.models import Statement


def speaker_names(person: Person) -> str:
    return " ".join([person.name, *person.aliases])


@receiver(pre_save, sender=Statement)
def fill_speaker_names(sender, instance: Statement, **kwargs) -> None:
    if instance.speaker_id is not None:
        instance.speaker_names = speaker_names(instance.speaker)


@receiver(post_save, sender=Person)
def update_speaker_names(sender, instance: Person, **kwargs) -> None:
    names = speaker_names(instance)
    changed = Statement.objects.filter(speaker=instance).exclude(speaker_names=names)
    if changed.update(speaker_names=names):
        # an update sends no save signal: the new spellings join the search's vocabulary here
        vocabulary.add(vocabulary.search_index(Statement), [{"speaker_names": names}])
