"""A shopper asks for a person; an agent in the console takes over, replies and hands back."""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from bot.config import Settings
from bot.services import service_env
from tests.browser.conftest import watch_errors
from tests.browser.widget import Widget


def add_agent(settings: Settings, username: str, name: str, password: str) -> None:
    """Create the agent the way a store operator does, with the CLI, on the live database."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.gateway",
            "agent",
            "add",
            username,
            "--name",
            name,
            "--password-stdin",
        ],
        input=password + "\n",
        env=service_env(settings),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Cuenta creada" in result.stdout


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/console/login")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()
    expect(page.locator("#connection")).to_have_text("En línea: recibes conversaciones")


def test_an_agent_takes_over_replies_live_and_hands_the_shopper_back_to_the_bot(
    live_services: Settings,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
    shopper: Widget,
) -> None:
    username, password = f"lucia{secrets.token_hex(3)}", secrets.token_urlsafe(12)
    add_agent(live_services, username, "Lucía", password)
    agent = watch_errors(new_context().new_page(), page_errors)
    log_in(agent, username, password)
    queue = agent.locator("#queue .queue-item")
    waiting_before = queue.count()

    shopper.open()
    shopper.say("hola")
    told = shopper.press("Hablar con una persona")
    assert "Te paso con una persona del equipo" in told
    session = str(shopper.page.evaluate("() => localStorage.getItem('ruta.session_id')"))

    # The conversation shows up in the console's queue live; Lucía takes the newest one.
    expect(queue).to_have_count(waiting_before + 1)
    queue.last.get_by_role(
        "button", name="Atender: El cliente pidió hablar con una persona"
    ).click()
    expect(agent.locator("#conversation-title")).to_have_text(f"Conversación {session[:8]}")
    transcript = agent.get_by_role("list", name="Conversación con el cliente")
    expect(transcript).to_contain_text("Hablar con una persona")

    # The shopper has closed the chat meanwhile: Lucía's answer waits behind the launcher.
    shopper.page.keyboard.press("Escape")
    expect(shopper.panel).to_be_hidden()
    reply = agent.get_by_label("Tu respuesta")
    agent_said = "Hola, soy Lucía. Cuéntame qué ha pasado con tu pedido <b>y lo miro</b>."
    reply.fill(agent_said)
    reply.press("Enter")
    expect(shopper.launcher).to_have_accessible_name("Abrir el chat de ayuda (1 mensaje nuevo)")
    shopper.open()
    shopper.wait_for_text(agent_said)
    expect(shopper.launcher).to_have_accessible_name("Cerrar el chat de ayuda")
    last = shopper.messages()[-1]
    assert (last.speaker, last.name, last.text) == ("agent", "Lucía (agente)", agent_said)
    assert shopper.page.locator(".ruta-log b").count() == 0, "the agent's words stay text"

    # While Lucía owns the conversation the bot is quiet and the shopper's words reach her.
    quiet = shopper.say("Me llegó la caja abierta y falta una zapatilla")
    assert quiet == "", "the bot says nothing while a person is answering"
    expect(shopper.typing).to_be_hidden()
    expect(transcript).to_contain_text("Me llegó la caja abierta y falta una zapatilla")

    agent.get_by_role("button", name="Devolver al asistente").click()
    shopper.wait_for_text("Vuelves a hablar con Ruta")
    assert shopper.say("hola").startswith("¡Hola! Soy Ruta"), "the bot answers again"

    # After a reload the shopper still sees who said what, the agent's turn included.
    said = shopper.messages()
    shopper.page.reload()
    shopper.open()
    expect(shopper.page.locator(".ruta-msg")).to_have_count(len(said))
    assert shopper.messages() == said


def test_an_agent_who_steps_away_gets_no_new_shoppers_and_the_shopper_gets_a_ticket(
    live_services: Settings,
    new_context: Callable[..., BrowserContext],
    page_errors: list[str],
    shopper: Widget,
) -> None:
    username, password = f"pedro{secrets.token_hex(3)}", secrets.token_urlsafe(12)
    add_agent(live_services, username, "Pedro", password)
    agent = watch_errors(new_context().new_page(), page_errors)
    log_in(agent, username, password)
    switch = agent.get_by_role("button", name="Estoy disponible")
    expect(switch).to_have_attribute("aria-pressed", "true")
    switch.click()
    away = agent.get_by_role("button", name="Estoy ausente")
    expect(away).to_have_attribute("aria-pressed", "false")
    expect(agent.locator("#connection")).to_have_text("Ausente: no te llegan clientes nuevos")
    agent.reload()  # the switch is the agent's, not the page's
    expect(agent.locator("#connection")).to_have_text("Ausente: no te llegan clientes nuevos")

    # Pedro is the only agent with a console open, and he is away: nobody is promised.
    shopper.open()
    shopper.say("hola")
    told = shopper.press("Hablar con una persona")
    assert "no hay nadie del equipo libre" in told and "He abierto la incidencia" in told

    away.click()
    expect(agent.locator("#connection")).to_have_text("En línea: recibes conversaciones")
