"""Docker for a page: the proxy that records what it makes, the builder, the fingerprint."""
