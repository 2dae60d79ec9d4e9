"""Custom actions, one module per topic; each reads slots, calls ``bot.store``, phrases Spanish."""
