"""Assistant benchmark: training time, 5-fold CV (clean and noisy), parse and turn latency.

Targets (2-core machine): macro-F1 ≥ 0.95 clean and ≥ 0.92 noisy, training ≤ 5 min, whole-turn
p95 ≤ 150 ms for one client. The confidence histogram of the clean folds is what the
FallbackClassifier threshold in config.yml is chosen from.
"""

from __future__ import annotations

import argparse
import json
import logging
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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

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


# Seeds the cross-validation's fold draw (bench/seeded_rasa.py) and DIET's training, so two
# runs on the same code give the same figures and runs on different code compare.
SEED = 0


def rasa(*args: str, cwd: Path = PROJECT_ROOT, seed: int | None = None) -> float:
    """Run a rasa command quietly, with numpy seeded if ``seed``; return its wall time in s."""
    command = [RASA] if seed is None else [sys.executable, "-m", "bench.seeded_rasa", str(seed)]
    start = time.perf_counter()
    subprocess.run(
        [*command, *args, "--quiet"],
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


def classifier_config(target: Path, seed: int | None = None) -> Path:
    """config.yml without the FallbackClassifier.

    Cross-validation measures the classifier: with the fallback in place, every
    low-confidence guess would show up as ``nlu_fallback`` at the threshold's own
    confidence, and the histogram the threshold is chosen from would be meaningless.
    The fallback's effect is printed separately (see ``fallback_effect``). With ``seed``,
    DIET and the ResponseSelector get that ``random_seed`` (unless config.yml sets one), so
    two runs on the same data give the same figures and a change is measurable.
    """
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    config["pipeline"] = [c for c in config["pipeline"] if c["name"] != "FallbackClassifier"]
    if seed is not None:
        for component in config["pipeline"]:
            if component["name"] in {"DIETClassifier", "ResponseSelector"}:
                component.setdefault("random_seed", seed)
    target.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")
    return target


def fallback_threshold() -> float:
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    return next(
        float(c.get("threshold", 0.3))
        for c in config["pipeline"]
        if c["name"] == "FallbackClassifier"
    )


def entity_scores(reports: Iterable[dict[str, Any]]) -> dict[str, float]:
    """F1 per entity type, each type scored by the extractor that extracts it.

    Rasa writes one report per extractor, each against every annotated type, so an extractor
    scores zero on the types another one extracts (the CRF's catalogue entities, the phrase
    extractor's problem types): each type keeps its best row. With one extractor, the mean of
    these is its report's macro average.
    """
    scores: dict[str, float] = {}
    for report in reports:
        for label, row in report.items():
            if isinstance(row, dict) and not label.endswith(" avg"):
                scores[label] = max(scores.get(label, 0.0), float(row["f1-score"]))
    return dict(sorted(scores.items()))


def read_results(out: Path) -> dict[str, Any]:
    intents = json.loads((out / "intent_report.json").read_text())
    entities = entity_scores(
        json.loads(path.read_text())
        for pattern in ("*Classifier_report.json", "*Extractor_report.json")
        for path in sorted(out.glob(pattern))
    )
    confidences: dict[str, list[float]] = {"right": [], "wrong": []}
    errors: list[dict[str, Any]] = []
    for name, key in (("intent_successes.json", "right"), ("intent_errors.json", "wrong")):
        path = out / name
        if path.exists():
            rows = json.loads(path.read_text())
            confidences[key] = [float(r["intent_prediction"]["confidence"] or 0) for r in rows]
            if key == "wrong":
                errors = rows
    # FAQ answers: which retrieval response (consultar_envio/plazos, ...) the ResponseSelector
    # picked for the FAQ examples.
    responses = out / "response_selection_report.json"
    response_f1 = None
    if responses.exists():
        response_f1 = json.loads(responses.read_text())["macro avg"]["f1-score"]
    return {
        "intent_f1": intents["macro avg"]["f1-score"],
        "entity_f1": statistics.fmean(entities.values()) if entities else None,
        "entities": entities,
        "response_f1": response_f1,
        "confidences": confidences,
        "errors": errors,
        "weakest": sorted(
            (v["f1-score"], k)
            for k, v in intents.items()
            if isinstance(v, dict) and k not in {"macro avg", "weighted avg", "micro avg"}
        )[:8],
    }


def cross_validate(nlu: Path, out: Path, config: Path) -> dict[str, Any]:
    rasa(
        "test",
        "nlu",
        "--nlu",
        str(nlu),
        "--config",
        str(config),
        "--cross-validation",
        "--folds",
        "5",
        "--out",
        str(out),
        "--successes",
        seed=SEED,
    )
    return read_results(out)


def fallback_effect(confidences: dict[str, list[float]], threshold: float) -> str:
    """What the fallback threshold does to the cross-validated predictions."""
    right_kept = sum(c >= threshold for c in confidences["right"])
    wrong_kept = sum(c >= threshold for c in confidences["wrong"])
    total = len(confidences["right"]) + len(confidences["wrong"])
    asked = total - right_kept - wrong_kept
    accuracy = right_kept / max(right_kept + wrong_kept, 1)
    return (
        f"fallback at {threshold:.2f}: {asked / max(total, 1):.1%} of messages get the rephrase "
        f"prompt; {accuracy:.1%} of the rest are answered with the right intent"
    )


def quick(work: Path) -> None:
    """One 80/20 split (fixed seed): a few minutes, for iterating on data and config."""
    split = work / "split"
    rasa(
        "data",
        "split",
        "nlu",
        "--nlu",
        str(PROJECT_ROOT / "data" / "nlu"),
        "--out",
        str(split),
        "--random-seed",
        "3",
    )
    for part, files in (
        ("train", ("training_data.yml", "nlg_training_data.yml")),
        ("test", ("test_data.yml", "nlg_test_data.yml")),
    ):
        (work / part).mkdir()
        for name in files:
            shutil.copy(split / name, work / part / name)
    config = classifier_config(work / "config.yml", seed=1)
    train_s = rasa(
        "train",
        "nlu",
        "--config",
        str(config),
        "--nlu",
        str(work / "train"),
        "--out",
        str(work / "models"),
        "--fixed-model-name",
        "quick",
    )
    rasa(
        "test",
        "nlu",
        "--model",
        str(work / "models" / "quick.tar.gz"),
        "--nlu",
        str(work / "test"),
        "--out",
        str(work / "results"),
        "--successes",
    )
    result = read_results(work / "results")
    _report(
        f"80/20 split              intent macro-F1 {result['intent_f1']:.3f}   "
        f"entity macro-F1 {_figure(result['entity_f1'])}   (NLU training {train_s:.0f} s)"
    )
    _report("weakest intents: " + ", ".join(f"{k} {f:.2f}" for f, k in result["weakest"]))
    for row in result["errors"]:
        predicted = row["intent_prediction"]
        _report(
            f"  {row['intent']:>22} → {predicted['name']:<22} {predicted['confidence']:.2f}  "
            f"{row['text'][:70]}"
        )


def entity_line(entities: dict[str, float]) -> str:
    return "entity F1 by type: " + ", ".join(f"{k} {f:.2f}" for k, f in entities.items())


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
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's per-parse debug lines would flood the report
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


def _figure(value: float | None) -> str:
    """A macro-F1 Rasa may not report (no entities or no FAQ examples in the data): "n/a"."""
    return f"{value:.3f}" if value is not None else "n/a"


def _report(line: str) -> None:
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="one 80/20 split, with the errors")
    args = parser.parse_args()
    if args.quick:
        with tempfile.TemporaryDirectory() as tmp:
            quick(Path(tmp))
        return
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
        config = classifier_config(work / "config.yml", seed=SEED)
        threshold = fallback_threshold()
        clean = cross_validate(PROJECT_ROOT / "data" / "nlu", work / "cv-clean", config)
        _report(
            f"5-fold clean             intent macro-F1 {clean['intent_f1']:.3f}   "
            f"entity macro-F1 {_figure(clean['entity_f1'])}   "
            f"FAQ answer macro-F1 {_figure(clean['response_f1'])}"
        )
        _report("weakest intents: " + ", ".join(f"{k} {f:.2f}" for f, k in clean["weakest"]))
        _report(entity_line(clean["entities"]))
        _report("intent confidence of the clean folds (FallbackClassifier threshold):")
        _report(histogram(clean["confidences"]))
        _report(fallback_effect(clean["confidences"], threshold))
        write_noisy_copy(work / "noisy")
        dirty = cross_validate(work / "noisy", work / "cv-noisy", config)
        _report(
            f"5-fold noisy             intent macro-F1 {dirty['intent_f1']:.3f}   "
            f"entity macro-F1 {_figure(dirty['entity_f1'])}   "
            f"FAQ answer macro-F1 {_figure(dirty['response_f1'])}"
        )
        _report(entity_line(dirty["entities"]))
        _report(fallback_effect(dirty["confidences"], threshold))
        shutil.rmtree(work / "models", ignore_errors=True)


if __name__ == "__main__":
    main()
