"""The vocabulary of the searched columns (config.db.search.vocabulary)."""

from django.db import models


class SearchWord(models.Model):
    """A word that occurs in a searched column: what spelling suggestions are taken from and
    what a `prefix*` expands to. Words are added as records are saved; one whose records are
    gone stays until `manage.py rebuild_search_words` counts everything again."""

    column = models.CharField(max_length=100, help_text="The column: `table.column`.")
    word = models.CharField(max_length=100, help_text="The word, in lowercase.")
    stem = models.CharField(max_length=100, help_text="Its Porter stem.")
    documents = models.PositiveIntegerField(
        default=1, help_text="Records holding it when last counted (1 for a word added since)."
    )

    class Meta:
        db_table = "search_word"
        constraints = [
            models.UniqueConstraint(fields=["column", "word"], name="search_word_column_word")
        ]
        indexes = [models.Index(fields=["stem"], name="search_word_stem")]  # a word known?

    def __str__(self) -> str:
        return f"{self.word} ({self.column})"
