"""Rasa pipeline components of Ruta's own."""
