"""Ingest: an article's text in, candidates out, each reviewed before it becomes a record.

`proposals` is the data extraction hands over (no database); extraction proposes, it never
writes a published record.
"""
