"""Typed keys for what the gateway's parts share through the aiohttp application."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.gateway.hub import Hub
from bot.gateway.rasa_client import RasaClient
from bot.journey.stages import JourneyMap

SETTINGS = web.AppKey("settings", Settings)
HUB = web.AppKey("hub", Hub)
ENGINE = web.AppKey("engine", Engine)
JOURNEY = web.AppKey("journey", JourneyMap)
RASA = web.AppKey("rasa", RasaClient)
