"""Running SPARQL: named queries, query text analysis, stores, killable executors, caches."""
