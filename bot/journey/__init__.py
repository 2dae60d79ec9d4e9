"""The journey log: every conversation turn with its customer-journey stage."""
