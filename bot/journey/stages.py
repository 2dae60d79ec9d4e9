"""The customer-journey stage of each shopper turn, from the rules in ``journey.yml``.

The mapping is data an analyst edits, so it is checked against ``domain.yml`` when the broker
starts: a typo in an intent, stage, entity or slot stops start-up with the file and line, instead
of quietly logging turns without a stage. The file format is explained in its header.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.config import PROJECT_ROOT
from bot.store.normalize import fold

FALLBACK_INTENT = "nlu_fallback"  # Rasa's FallbackClassifier predicts it; never in the domain
STAGE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")  # journey_turns.stage is String(40)
INHERIT = "inherit"  # as a rule's stage: the turn keeps the conversation's current stage
SOURCES = ("entity", "slot", "value_of", "replying_to")
_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Stage:
    """One journey stage; ``order`` is its position in the journey, from 1."""

    name: str
    label: str
    description: str
    order: int


@dataclass(frozen=True)
class Condition:
    """``when:`` of a rule: some named entity or slot has a value (one of ``values``, if given),
    or the bot's message just before the turn was one of the named responses."""

    source: str  # "entity", "slot", "value_of" (the message's entity, else the slot), "replying_to"
    names: tuple[str, ...]
    values: frozenset[str] | None  # folded, as _fold leaves them

    def holds(
        self,
        entities: Mapping[str, Sequence[str]],
        slots: Mapping[str, Any],
        replying_to: str | None = None,
    ) -> bool:
        if self.source == "replying_to":
            return replying_to is not None and replying_to in self.names
        for name in self.names:
            found = _values(entities.get(name)) if self.source != "slot" else []
            if not found and self.source != "entity":
                found = _values(slots.get(name))
            if any(self.values is None or value in self.values for value in found):
                return True
        return False


@dataclass(frozen=True)
class Rule:
    """One entry of ``rules:``; ``line`` points the analyst back to it.

    ``stage`` None (``stage: inherit`` in the file) keeps the conversation's current stage.
    """

    intent: str
    stage: str | None
    when: Condition | None
    line: int

    def matches(self, intent: str) -> bool:
        """A rule on ``consultar_envio`` also covers ``consultar_envio/plazos``."""
        return self.intent in (intent, intent.split("/", 1)[0])


class JourneyConfigError(ValueError):
    """``journey.yml`` is wrong; the message names the file and line, for the analyst."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        super().__init__(f"{path.name}{f', line {line}' if line else ''}: {problem}")
        self.path, self.line, self.problem = path, line, problem


@dataclass(frozen=True)
class JourneyMap:
    """The stages in journey order, the rules that pick one, and the intents that inherit."""

    stages: tuple[Stage, ...]
    rules: tuple[Rule, ...]
    inherited: frozenset[str]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(stage.name for stage in self.stages)

    def stage(self, name: str) -> Stage:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(f"unknown journey stage {name!r}")

    def stage_for(
        self,
        intent: str | None,
        entities: Mapping[str, Sequence[str]] = _EMPTY,
        slots: Mapping[str, Any] = _EMPTY,
        replying_to: str | None = None,
    ) -> str | None:
        """The stage of a shopper turn, or None when it inherits the conversation's current one.

        ``entities`` holds this message's values per entity name, ``slots`` the tracker's slots,
        ``replying_to`` the response the bot's previous message came from (``utter_action``).
        """
        if not intent:
            return None
        for rule in self.rules:
            if rule.matches(intent) and (
                rule.when is None or rule.when.holds(entities, slots, replying_to)
            ):
                return rule.stage
        return None


def load_journey(
    path: Path = PROJECT_ROOT / "journey.yml", domain_path: Path = PROJECT_ROOT / "domain.yml"
) -> JourneyMap:
    """Read and check ``journey.yml`` against the intents, entities and slots of ``domain.yml``."""
    domain = _Domain.read(domain_path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise JourneyConfigError(path, None, f"cannot read it: {exc.strerror}") from exc
    except yaml.MarkedYAMLError as exc:
        mark, context = exc.problem_mark or exc.context_mark, exc.context_mark
        problem = f"invalid YAML: {exc.problem}"
        if context and exc.context and context.line != getattr(mark, "line", None):
            problem += f" ({exc.context} that starts on line {context.line + 1})"
        raise JourneyConfigError(path, mark.line + 1 if mark else None, problem) from exc
    if root is None:
        raise JourneyConfigError(path, 1, "the file is empty; it needs 'stages' and 'rules'")
    return _Reader(path, domain).journey(root)


def _fold(value: Any) -> str:
    """The bot's normalisation (bot.store.normalize): "Dañado " and "danado" are the same code."""
    return fold(str(value).strip()).replace(" ", "_")


def _values(raw: Any) -> list[str]:
    """An entity's or slot's value(s) as folded strings; None and "" count as no value."""
    items = raw if isinstance(raw, list | tuple | set | frozenset) else [raw]
    return [_fold(item) for item in items if item is not None and str(item).strip()]


@dataclass(frozen=True)
class _Domain:
    intents: frozenset[str]
    entities: frozenset[str]
    slots: frozenset[str]
    responses: frozenset[str]

    @classmethod
    def read(cls, path: Path) -> _Domain:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise JourneyConfigError(path, None, f"cannot read the domain: {exc}") from exc

        def names(items: Iterable[Any]) -> frozenset[str]:  # "x" or {"x": {...options}}
            return frozenset(next(iter(i)) if isinstance(i, dict) else str(i) for i in items)

        return cls(
            intents=names(data.get("intents") or []) | {FALLBACK_INTENT},
            entities=names(data.get("entities") or []),
            slots=frozenset(data.get("slots") or {}),
            responses=frozenset(data.get("responses") or {}),
        )


class _Reader:
    """Walks the composed YAML nodes, so every error can name the line it comes from."""

    def __init__(self, path: Path, domain: _Domain) -> None:
        self.path, self.domain = path, domain

    def fail(self, node: Node, problem: str) -> JourneyConfigError:
        return JourneyConfigError(self.path, node.start_mark.line + 1, problem)

    def mapping(self, node: Node, what: str, allowed: Sequence[str]) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a mapping of {', '.join(allowed)}")
        found: dict[str, Node] = {}
        for key, value in node.value:
            if key.value not in allowed:
                hint = self.hint(key.value, allowed)
                raise self.fail(key, f"unknown key {key.value!r} in {what}{hint}")
            if key.value in found:
                raise self.fail(key, f"{key.value!r} appears twice in {what}")
            found[key.value] = value
        return found

    def items(self, node: Node, what: str) -> Iterator[Node]:
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        return iter(node.value)

    def text(self, fields: dict[str, Node], key: str, parent: Node, what: str) -> tuple[str, Node]:
        node = fields.get(key)
        if node is None:
            raise self.fail(parent, f"{what} has no {key!r}")
        if not isinstance(node, ScalarNode) or not node.value.strip():
            raise self.fail(node, f"{key!r} of {what} must be a non-empty text")
        return node.value.strip(), node

    def names(self, node: Node, what: str, kind: str = "name") -> Iterator[tuple[str, Node]]:
        for item in self.items(node, what) if isinstance(node, SequenceNode) else [node]:
            if not isinstance(item, ScalarNode) or not item.value.strip():
                raise self.fail(item, f"{what} must be a {kind} or a list of {kind}s")
            yield item.value.strip(), item

    @staticmethod
    def hint(name: str, known: Iterable[str]) -> str:
        close = difflib.get_close_matches(name, sorted(known), n=1)
        return f" (did you mean {close[0]!r}?)" if close else ""

    def intent(self, name: str, node: Node) -> str:
        base, _, sub = name.partition("/")
        if base not in self.domain.intents or (sub == "" and "/" in name):
            hint = self.hint(base, self.domain.intents)
            raise self.fail(node, f"unknown intent {name!r}: not in domain.yml{hint}")
        return name

    def journey(self, root: Node) -> JourneyMap:
        top = self.mapping(root, "the file", ("stages", "rules", "inherit"))
        for key in ("stages", "rules"):
            if key not in top:
                raise self.fail(root, f"the file has no {key!r} list")
        stages = self.stages(top["stages"])
        rules = self.rules(top["rules"], {stage.name for stage in stages})
        inherited: set[str] = set()
        for name, node in self.names(top["inherit"], "'inherit'") if "inherit" in top else []:
            if self.intent(name, node) in inherited:
                raise self.fail(node, f"intent {name!r} is listed twice in 'inherit'")
            for rule in rules:
                if rule.matches(name) and rule.stage is not None:
                    raise self.fail(
                        node,
                        f"intent {name!r} inherits, but the rule on line "
                        f"{rule.line} gives it a stage",
                    )
            inherited.add(name)
        return JourneyMap(stages=stages, rules=rules, inherited=frozenset(inherited))

    def stages(self, node: Node) -> tuple[Stage, ...]:
        stages: list[Stage] = []
        for item in self.items(node, "'stages'"):
            fields = self.mapping(item, "a stage", ("name", "label", "description"))
            name, name_node = self.text(fields, "name", item, "a stage")
            if not STAGE_NAME_RE.match(name):
                raise self.fail(name_node, f"stage name {name!r} must be lower-case a-z, 0-9 and _")
            if name == INHERIT:
                raise self.fail(name_node, f"{INHERIT!r} is reserved: a rule's stage, not a stage")
            if name in (stage.name for stage in stages):
                raise self.fail(name_node, f"stage {name!r} is defined twice")
            label, _ = self.text(fields, "label", item, f"stage {name!r}")
            description = self.text(fields, "description", item, f"stage {name!r}")[0]
            stages.append(Stage(name, label, description, order=len(stages) + 1))
        if not stages:
            raise self.fail(node, "'stages' is empty")
        return tuple(stages)

    def rules(self, node: Node, stage_names: set[str]) -> tuple[Rule, ...]:
        rules: list[Rule] = []
        for item in self.items(node, "'rules'"):
            fields = self.mapping(item, "a rule", ("intent", "when", "stage"))
            intent = self.intent(*self.text(fields, "intent", item, "a rule"))
            stage, stage_node = self.text(fields, "stage", item, f"the rule for {intent!r}")
            if stage not in stage_names | {INHERIT}:
                hint = self.hint(stage, stage_names | {INHERIT})
                raise self.fail(stage_node, f"unknown stage {stage!r}{hint}")
            when = self.condition(fields["when"]) if "when" in fields else None
            for earlier in rules:
                if earlier.when is None and earlier.matches(intent):
                    raise self.fail(
                        item,
                        f"this rule never applies: the rule on line "
                        f"{earlier.line} already gives every {intent!r} turn a stage",
                    )
            line = item.start_mark.line + 1
            rules.append(Rule(intent, None if stage == INHERIT else stage, when, line=line))
        return tuple(rules)

    def condition(self, node: Node) -> Condition:
        fields = self.mapping(node, "'when'", (*SOURCES, "in"))
        sources = [key for key in SOURCES if key in fields]
        if len(sources) != 1:
            raise self.fail(
                node, "'when' needs exactly one of entity, slot, value_of or replying_to"
            )
        source = sources[0]
        if source == "replying_to" and "in" in fields:
            raise self.fail(
                fields["in"], "'in' does not apply to replying_to: list the responses there"
            )
        domain = self.domain
        kind, known = {
            "entity": ("entity", domain.entities),
            "slot": ("slot", domain.slots),
            "value_of": ("entity or slot", domain.entities | domain.slots),
            "replying_to": ("response", domain.responses),
        }[source]
        names = []
        for name, name_node in self.names(fields[source], f"'{source}'"):
            if name not in known:
                raise self.fail(name_node, f"unknown {kind} {name!r}{self.hint(name, known)}")
            names.append(name)
        values = None
        if "in" in fields:
            values = frozenset(_fold(v) for v, _ in self.names(fields["in"], "'in'", "value"))
            if not values:
                raise self.fail(fields["in"], "'in' is empty, so the rule would never apply")
        return Condition(source, tuple(names), values)
