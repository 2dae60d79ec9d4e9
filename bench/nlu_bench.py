"""Assistant benchmark: training time, 5-fold CV (clean and noisy), parse and turn latency.

Targets (2-core machine): macro-F1 ≥ 0.95 clean and ≥ 0.92 noisy, training ≤ 5 min, whole-turn
p95 ≤ 150 ms for one client. The confidence histogram of the clean folds is what the
FallbackClassifier threshold in config.yml is chosen from.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.request
from pathlib import Path
from typing import Any

from bench.store_bench import percentile
from bot.config import PROJECT_ROOT, Settings
from tests.pg import free_port

RASA = str(Path(sys.executable).parent / "rasa")
ENV = {
    **os.environ,
    "PYTHONWARNINGS": "ignore",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "RASA_TELEMETRY_ENABLED": "false",
}


def rasa(*args: str, cwd: Path = PROJECT_ROOT) -> float:
    """Run a rasa command quietly; return its wall time in seconds."""
    start = time.perf_counter()
    subprocess.run(
        [RASA, *args, "--quiet"],
        cwd=cwd,
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def noisy(text: str, rng: random.Random, protected: list[tuple[int, int]]) -> str:
    """Lower-case, accents stripped, one typo (two letters swapped) outside entity spans.

    Every step keeps the length, so entity offsets stay valid.
    """
    plain = "".join(
        unicodedata.normalize("NFKD", ch)[0] if ch.isalpha() else ch for ch in text.lower()
    )
    spots = [
        i
        for i in range(len(plain) - 1)
        if plain[i].isalpha()
        and plain[i + 1].isalpha()
        and plain[i] != plain[i + 1]
        and not any(s <= i < e or s <= i + 1 < e for s, e in protected)
    ]
    if not spots:
        return plain
    i = rng.choice(spots)
    return plain[:i] + plain[i + 1] + plain[i] + plain[i + 2 :]


def write_noisy_copy(target: Path) -> None:
    """The NLU data with every example made noisy, in Rasa's JSON format."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    rng = random.Random(7)
    for message in data.training_examples:
        text = message.get("text")
        entities = message.get("entities") or []
        spans = [(e["start"], e["end"]) for e in entities]
        new_text = noisy(text, rng, spans)
        for entity in entities:
            if entity.get("value") == text[entity["start"] : entity["end"]]:
                entity["value"] = new_text[entity["start"] : entity["end"]]
        message.set("text", new_text)
    target.mkdir(parents=True, exist_ok=True)
    (target / "nlu.yml").write_text(data.nlu_as_yaml())


def cross_validate(nlu: Path, out: Path) -> dict[str, Any]:
    rasa(
        "test",
        "nlu",
        "--nlu",
        str(nlu),
        "--config",
        str(PROJECT_ROOT / "config.yml"),
        "--cross-validation",
        "--folds",
        "5",
        "--out",
        str(out),
        "--successes",
    )
    intents = json.loads((out / "intent_report.json").read_text())
    entity_reports = sorted(out.glob("*Classifier_report.json")) + sorted(
        out.glob("*Extractor_report.json")
    )
    entity_f1 = None
    if entity_reports:
        entity_f1 = json.loads(entity_reports[0].read_text())["macro avg"]["f1-score"]
    confidences = {"right": [], "wrong": []}
    for name, key in (("intent_successes.json", "right"), ("intent_errors.json", "wrong")):
        path = out / name
        if path.exists():
            confidences[key] = [
                float(r["intent_prediction"]["confidence"] or 0)
                for r in json.loads(path.read_text())
            ]
    return {
        "intent_f1": intents["macro avg"]["f1-score"],
        "entity_f1": entity_f1,
        "confidences": confidences,
    }


def histogram(confidences: dict[str, list[float]]) -> str:
    rows = ["confidence   right  wrong"]
    for low in [x / 10 for x in range(10)]:
        right = sum(low <= c < low + 0.1 or (low == 0.9 and c == 1.0) for c in confidences["right"])
        wrong = sum(low <= c < low + 0.1 or (low == 0.9 and c == 1.0) for c in confidences["wrong"])
        rows.append(f"{low:.1f}-{low + 0.1:.1f}   {right:>5}  {wrong:>5}")
    return "\n".join(rows)


def parse_latency(model: Path, runs: int) -> list[float]:
    import asyncio

    from rasa.core.agent import load_agent

    agent = asyncio.run(load_agent(model_path=str(model)))
    texts = [
        "dónde está mi pedido RU-100004",
        "quiero devolver unas zapatillas",
        "tenéis la sudadera gris en talla M",
        "cuánto cuesta el envío a canarias",
    ]
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        asyncio.run(agent.parse_message(texts[i % len(texts)]))
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def turn_latency(model: Path, runs: int) -> list[float]:
    """Whole turns over REST that run a database-backed action (FAQ answer from the policies)."""
    from bot.services import running_services

    settings = Settings(
        database_url=os.environ.get("DATABASE_URL")
        or f"sqlite:///{PROJECT_ROOT / 'var' / 'ruta.db'}",
        host="localhost",
        rasa_port=free_port(),
        actions_port=free_port(),
        gateway_port=free_port(),
        rasa_token="bench",
        seed=1,
    )
    samples = []
    with running_services(settings, model=model):
        for i in range(runs + 5):
            body = json.dumps({"sender": f"bench-{i}", "message": "¿puedo pagar con paypal?"})
            request = urllib.request.Request(
                f"{settings.rasa_url}/webhooks/rest/webhook",
                data=body.encode(),
                headers={"Content-Type": "application/json"},
            )
            start = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
            if i >= 5:
                samples.append((time.perf_counter() - start) * 1000)
    return samples


def _entity(value: float | None) -> str:
    return f"{value:.3f}" if value is not None else "n/a"


def _report(line: str) -> None:
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    _report(
        "Assistant benchmark (targets: F1 ≥ 0.95 clean, ≥ 0.92 noisy; train ≤ 300 s; "
        "turn p95 ≤ 150 ms). Each figure is printed as soon as it is measured."
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        train_s = rasa(
            "train", "--fixed-model-name", "bench", "--out", str(work / "models"), "--force"
        )
        _report(f"training time            {train_s:8.1f} s")
        model = work / "models" / "bench.tar.gz"
        parse = parse_latency(model, args.runs)
        _report(
            f"parse latency            p50 {statistics.median(parse):6.1f} ms   "
            f"p95 {percentile(parse, 95):6.1f} ms"
        )
        turns = turn_latency(model, args.runs)
        _report(
            f"whole turn over REST     p50 {statistics.median(turns):6.1f} ms   "
            f"p95 {percentile(turns, 95):6.1f} ms"
        )
        clean = cross_validate(PROJECT_ROOT / "data" / "nlu", work / "cv-clean")
        _report(
            f"5-fold clean             intent macro-F1 {clean['intent_f1']:.3f}   "
            f"entity macro-F1 {_entity(clean['entity_f1'])}"
        )
        _report("intent confidence of the clean folds (FallbackClassifier threshold):")
        _report(histogram(clean["confidences"]))
        write_noisy_copy(work / "noisy")
        dirty = cross_validate(work / "noisy", work / "cv-noisy")
        _report(
            f"5-fold noisy             intent macro-F1 {dirty['intent_f1']:.3f}   "
            f"entity macro-F1 {_entity(dirty['entity_f1'])}"
        )
        shutil.rmtree(work / "models", ignore_errors=True)


if __name__ == "__main__":
    main()
