from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The search infrastructure's own table: the vocabulary of the searched columns."""

    name = "config.db.search"
    label = "search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from config.db.search import vocabulary

        vocabulary.connect_receivers()
        # a database migrated to this version with records already in it gets its words once
        post_migrate.connect(vocabulary.fill_if_empty, sender=self)
