from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "statements"
    verbose_name = "Statements, figures and citations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from statements import editors, signals  # noqa: F401 (connects the receivers)
