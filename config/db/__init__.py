"""Model infrastructure: partial dates, list orderings, full-text search, versioned history.

The bottom layer: it imports no other part of Parley, and every model builds on it.
"""
