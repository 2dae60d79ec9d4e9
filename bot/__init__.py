"""Ruta: a Spanish-language support assistant for online stores, built on Rasa."""
