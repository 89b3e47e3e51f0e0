"""Writing a checked package into LeadHub: one module per kind of record, each set-based
(a few queries per chunk of staged rows, bulk inserts and updates)."""
