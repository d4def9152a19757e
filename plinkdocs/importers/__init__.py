"""Importers: other sources (a live AWS account, infrastructure code) turned into the data of a design."""
