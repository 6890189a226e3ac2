"""tuoke (拓客): finds and ranks lending prospects for inclusive-finance teams."""

__version__ = "0.1.0"
