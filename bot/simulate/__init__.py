"""Simulated shoppers that talk to the running gateway, for demos and tests.

``python -m bot.simulate`` holds realistic Spanish conversations through the same public
channels the widget uses (the REST webhook and socket.io), so everything they leave behind
(the journey log, handoffs, tickets, returns) is written by the real stack. The simulator
reads the store only to pick a shopper's own order; it never writes anywhere itself.
"""
