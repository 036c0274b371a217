"""The monitor's editions: long-format CSV tables read into RDF Data Cube observations."""
