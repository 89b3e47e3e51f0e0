"""Writes for imports: upload and mapping (``lifecycle``), reading the file into staging
(``staging``), resolving and checking it set by set (``resolution``, ``checks``), and the
chunked, resumable commit (``commit``)."""
