"""Validators of plain-text filters, so that they refuse what the schema says they refuse."""

from django.core.validators import RegexValidator

from config.db.slugs import SLUG_RE

COUNTRY_CODE_PATTERN = r"^[A-Za-z]{2}$"
LANGUAGE_TAG_PATTERN = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"


validate_slug_value = RegexValidator(SLUG_RE.pattern, "Not a slug (lowercase letters, digits, -).")
validate_country_code = RegexValidator(COUNTRY_CODE_PATTERN, "Not a two-letter country code.")
validate_language_tag = RegexValidator(LANGUAGE_TAG_PATTERN, "Not a language tag, e.g. en.")
