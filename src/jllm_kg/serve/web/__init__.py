"""The web layer: Flask blueprints for the pages and documents around the SPARQL endpoint."""
