"""The verifier: sybil parsers and evaluators that run every sample of the guide against
the fake."""
