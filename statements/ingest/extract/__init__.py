"""The extraction pipeline: an article's text in, `Proposal`s out, nothing written.

`propose()` reads the text once, in order, paragraph by paragraph and sentence by sentence, so
that a speaker named earlier ("he", "the Ukrainian president") is known when a later sentence
refers back to them. Each stage lives in its own module:

- `quotes`: quotation marks paired into runs, which `extract.quotations` makes quotes and
  fragments with their speakers;
- `text`: paragraphs and sentences (a quotation never splits a sentence);
- `attribution`: speech verbs and their subjects, and where a statement's date may stand;
- `speakers`: a subject phrase resolved to a person, institution or anonymous source, with
  `names` (a name among titles and ordinary words) and `lexicon` (the words of reporting);
- `claims`: reported speech without quotation marks;
- `dates`: date phrases resolved to intervals against the publication date;
- `events` and `figures`: what happened and the numbers asserted;
- `matching`: topics, places and the records the dataset already holds.

Offsets index the exact characters given: the text is never normalised.
"""

from statements.ingest.extract.reader import propose

__all__ = ["propose"]
