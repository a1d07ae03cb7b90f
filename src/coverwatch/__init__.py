"""coverwatch: certificate-of-insurance compliance for general contractors."""

__version__ = "0.1.0"
