"""Canned replies for agents, from ``canned_replies.yml``: checked when the gateway starts.

A store edits the file without touching code; a mistake stops start-up with the line to fix,
rather than an agent finding an empty list mid-conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.config import PROJECT_ROOT

CANNED_REPLIES_PATH = PROJECT_ROOT / "canned_replies.yml"
PLACEHOLDER = "{agente}"  # the agent's display name, filled in when the console loads the list
MAX_TEXT = 1000


@dataclass(frozen=True)
class CannedReply:
    title: str
    text: str

    def for_agent(self, display_name: str) -> dict[str, str]:
        return {"title": self.title, "text": self.text.replace(PLACEHOLDER, display_name)}


class CannedRepliesError(ValueError):
    """The file is wrong; the message names the file and the line."""


def _fail(path: Path, node: Node, problem: str) -> CannedRepliesError:
    return CannedRepliesError(f"{path.name}, line {node.start_mark.line + 1}: {problem}")


def load_canned_replies(path: Path = CANNED_REPLIES_PATH) -> tuple[CannedReply, ...]:
    """Read and check the file: a ``replies`` list of ``title`` and ``text``, titles unique."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CannedRepliesError(f"{path.name}: cannot read it: {exc.strerror}") from exc
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise CannedRepliesError(f"{path.name}, line {line}: invalid YAML: {exc.problem}") from exc
    if not isinstance(root, MappingNode):
        raise CannedRepliesError(f"{path.name}: the file needs a 'replies' list")
    fields = {key.value: value for key, value in root.value}
    if set(fields) != {"replies"} or not isinstance(fields["replies"], SequenceNode):
        raise _fail(path, root, "the file needs exactly one key, 'replies', holding a list")
    replies: list[CannedReply] = []
    for item in fields["replies"].value:
        if not isinstance(item, MappingNode):
            raise _fail(path, item, "each reply needs a 'title' and a 'text'")
        values: dict[str, str] = {}
        for key, value in item.value:
            if key.value not in ("title", "text"):
                raise _fail(path, key, f"unknown key {key.value!r} (use 'title' and 'text')")
            if not isinstance(value, ScalarNode) or not str(value.value).strip():
                raise _fail(path, value, f"{key.value!r} must be a non-empty text")
            values[key.value] = " ".join(str(value.value).split())
        if set(values) != {"title", "text"}:
            raise _fail(path, item, "each reply needs a 'title' and a 'text'")
        if len(values["text"]) > MAX_TEXT:
            raise _fail(path, item, f"the text is longer than {MAX_TEXT} characters")
        if any(r.title == values["title"] for r in replies):
            raise _fail(path, item, f"the title {values['title']!r} is used twice")
        replies.append(CannedReply(values["title"], values["text"]))
    if not replies:
        raise _fail(path, fields["replies"], "'replies' is empty")
    return tuple(replies)
