"""RDF plumbing shared by every flow: namespaces, term conversion, the format table."""
