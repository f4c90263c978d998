"""wayhome: extractive, cited answers about the Way Home movement."""

__version__ = "0.1.0"
