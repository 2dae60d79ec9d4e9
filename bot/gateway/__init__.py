"""The gateway: the one public entry point (widget, Rasa-compatible channels, console)."""
