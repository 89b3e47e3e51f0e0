"""Pages for measures: the library and forms, one series, data pages and comparisons."""
