from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events, people and sources"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from config.db.search.migration import ensure_sqlite_triggers
        from events import signals  # (connects the receivers)

        signals.connect_deletions()

        # once per `migrate`, after every app's migrations (see config.db.search.migration)
        post_migrate.connect(ensure_sqlite_triggers, sender=self)
