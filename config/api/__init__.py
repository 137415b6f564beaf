"""The API framework: filters, paging, row readers, writes, formats and the schema.

Generic: it imports the model infrastructure (config.db) and no app; events and statements
declare their endpoints on top of it.
"""
