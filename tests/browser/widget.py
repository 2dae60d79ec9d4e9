"""The shopper's side of the widget, as a person uses it: what they press and what they read.

Playwright's locators reach into the widget's (open) shadow root, so these find elements by
their role and accessible name, the way a screen reader would.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect


@dataclass(frozen=True)
class Said:
    speaker: str  # shopper | bot | agent
    text: str
    name: str = ""  # the agent's label, e.g. "Lucía (agente)"
    images: int = 0


READ_MESSAGES = """items => items.map(item => ({
    speaker: ["shopper", "agent", "bot"].find(s => item.classList.contains("ruta-msg--" + s)),
    text: (item.querySelector(".ruta-bubble") || {}).textContent || "",
    name: (item.querySelector(".ruta-name") || {}).textContent || "",
    images: item.querySelectorAll("img").length,
}))"""


class Widget:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.launcher = page.locator(".ruta-launcher")
        self.panel = page.get_by_role("dialog", name="Ruta")
        self.log = page.get_by_role("log", name="Conversación")
        self.input = page.get_by_role("textbox", name="Escribe tu mensaje")
        self.send_button = page.get_by_role("button", name="Enviar mensaje")
        self.close_button = page.get_by_role("button", name="Cerrar el chat", exact=True)
        self.attach_button = page.get_by_role("button", name="Adjuntar una foto")
        self.status = page.locator(".ruta-status")
        self.error = page.locator(".ruta-error")
        self.counter = page.locator(".ruta-counter")
        self.typing = page.locator(".ruta-typing")

    # --- looking -------------------------------------------------------------------------

    def messages(self) -> list[Said]:
        return [Said(**m) for m in self.page.locator(".ruta-msg").evaluate_all(READ_MESSAGES)]

    def texts(self, *speakers: str) -> list[str]:
        return [m.text for m in self.messages() if not speakers or m.speaker in speakers]

    def last_reply(self) -> str:
        """Everything the bot (or agent) said after the shopper's last message."""
        said = self.messages()
        replies: list[str] = []
        for message in reversed(said):
            if message.speaker == "shopper":
                break
            replies.insert(0, message.text)
        return "\n".join(replies)

    def quick_reply(self, title: str) -> Locator:
        return self.log.get_by_role("button", name=title, exact=True)

    def focused_class(self) -> str:
        """The class of the element with keyboard focus, inside the widget or on the page."""
        return str(
            self.page.evaluate(
                """() => {
                    const host = document.getElementById("ruta-widget");
                    const inner = host && host.shadowRoot && host.shadowRoot.activeElement;
                    const el = inner || document.activeElement;
                    return el ? (el.getAttribute("class") || el.tagName) : "";
                }"""
            )
        )

    # --- doing ---------------------------------------------------------------------------

    def open_with_keyboard(self) -> None:
        """Tab through the page to the launcher and press Enter, as a keyboard user does."""
        for _ in range(30):
            self.page.keyboard.press("Tab")
            if "ruta-launcher" in self.focused_class():
                break
        else:
            raise AssertionError("the chat launcher cannot be reached with the Tab key")
        self.page.keyboard.press("Enter")
        expect(self.panel).to_be_visible()

    def open(self) -> None:
        if not self.panel.is_visible():
            self.launcher.click()
        expect(self.panel).to_be_visible()

    def say(self, text: str) -> str:
        """Type and press Enter; wait until the gateway has it; return the replies."""
        before = len(self.messages())
        self.input.fill(text)
        self.input.press("Enter")
        self.wait_answered(before)
        return self.last_reply()

    def press(self, title: str) -> str:
        """Press a quick-reply button; return the replies."""
        before = len(self.messages())
        self.quick_reply(title).click()
        self.wait_answered(before)
        return self.last_reply()

    def wait_answered(self, before: int) -> None:
        """The message is on screen and acknowledged (its replies arrive before the ack)."""
        expect(self.page.locator(".ruta-msg")).not_to_have_count(before)
        expect(self.page.locator(".ruta-pending")).to_have_count(0)

    def wait_for_text(self, text: str) -> None:
        expect(self.log).to_contain_text(text)
