"""plinkdocs: validate, document and publish AWS PrivateLink designs written as YAML."""

__version__ = "0.1.0"
