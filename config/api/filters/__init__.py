"""Filter pieces every app's FilterSets share: slugs, partial-date ranges, text search, ordering.

All of them validate before they touch the database, so bad input is a 400 naming the parameter
(a NUL byte or an over-long value never reaches a query).
"""

from config.api.filters.backend import (
    StrictDjangoFilterBackend,
    checked_filters,
    cleaned_filters,
    is_repeatable,
)
from config.api.filters.dates import (
    DATE_MATCHES,
    DEFAULT_DATE_MATCH,
    DateRangeFilter,
    PartialDateField,
    TimestampField,
    TimestampFilter,
    date_bound,
    date_match,
    parse_timestamp,
)
from config.api.filters.filtersets import (
    CopiedFilters,
    DatedFilterSet,
    DateRangeForm,
    RecordFilterSet,
)
from config.api.filters.ordering import (
    StableOrderingFilter,
)
from config.api.filters.search import (
    MAX_SEARCH_LENGTH,
    SEARCH_HELP,
    FullTextSearchFilter,
    SearchFilter,
    SearchQueryField,
)
from config.api.filters.slugs import (
    SlugFilter,
    SlugMultipleChoiceField,
    link_rows,
    related_in,
)
from config.api.filters.validators import (
    COUNTRY_CODE_PATTERN,
    LANGUAGE_TAG_PATTERN,
    validate_country_code,
    validate_language_tag,
    validate_slug_value,
)

__all__ = [
    "checked_filters",
    "cleaned_filters",
    "is_repeatable",
    "StrictDjangoFilterBackend",
    "PartialDateField",
    "DATE_MATCHES",
    "DEFAULT_DATE_MATCH",
    "date_bound",
    "DateRangeFilter",
    "date_match",
    "parse_timestamp",
    "TimestampField",
    "TimestampFilter",
    "CopiedFilters",
    "RecordFilterSet",
    "DateRangeForm",
    "DatedFilterSet",
    "StableOrderingFilter",
    "MAX_SEARCH_LENGTH",
    "SearchFilter",
    "SEARCH_HELP",
    "SearchQueryField",
    "FullTextSearchFilter",
    "SlugMultipleChoiceField",
    "SlugFilter",
    "related_in",
    "link_rows",
    "COUNTRY_CODE_PATTERN",
    "LANGUAGE_TAG_PATTERN",
    "validate_slug_value",
    "validate_country_code",
    "validate_language_tag",
]
