"""Cross-document checks: the same project across years, and a sheet against its e호조 rows.

While ``auditor check`` reads documents, each one (a 사업설명서, or one 세부사업 unit of an e호조
export) gives a compact index entry (:mod:`auditor.crossdoc.index`) of what the cross rules read;
once every document is read, the cross pass (:mod:`auditor.crossdoc.cross`) groups the entries by
project identity (:mod:`auditor.crossdoc.identity`), rebuilds each group's documents as model
objects and runs the rules that name ``사업`` (the ``XDOC`` pack). Nothing here holds a whole sheet.
"""
