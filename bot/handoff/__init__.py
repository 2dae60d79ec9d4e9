"""Handing conversations to people: agents, the queue, and what they decide."""
