"""The draft checker against real outreach requests: per-rule agreement with labels.

The corpus (tests/data/outreach_corpus.toml) holds requests published by career
offices, career sites, template collections and job seekers, each with its source's
verdict and a person's label for every rule. Run with ``-s`` to see the table.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from bot.domain.draft_check import RULES, check_draft

CORPUS = Path(__file__).parent.parent / "data" / "outreach_corpus.toml"
# The labels' keys, in the order of RULES.
LABEL_KEYS = (
    "length",
    "time_ask",
    "acknowledges",
    "flexible",
    "no_job_ask",
    "connection_first",
    "clear_request",
)
TARGET = 0.95


def _corpus() -> list[dict]:
    with CORPUS.open("rb") as file:
        return tomllib.load(file)["example"]


def _fix_first(statuses: list[str]) -> bool:
    return "fail" in statuses


def _report(examples: list[dict]) -> tuple[float, str, list[str]]:
    """Overall agreement, a per-rule table, and every disagreement spelled out."""
    agree: Counter[str] = Counter()
    disagreements: list[str] = []
    for example in examples:
        results = check_draft(example["text"])
        for key, result in zip(LABEL_KEYS, results, strict=True):
            expected = example["labels"][key]
            if result.status == expected:
                agree[key] += 1
            else:
                disagreements.append(
                    f"{example['id']}: {key} is {result.status}, labelled {expected} "
                    f"({result.detail})"
                )
    rows = [f"{'rule':26} agree   of {len(examples)}"]
    for key, rule in zip(LABEL_KEYS, RULES, strict=True):
        rows.append(f"{rule:26} {agree[key]:5}   {agree[key] / len(examples):6.1%}")
    total = sum(agree.values()) / (len(examples) * len(LABEL_KEYS))
    rows.append(f"{'all rules':26} {sum(agree.values()):5}   {total:6.1%}")
    return total, "\n".join(rows), disagreements


def test_corpus_is_labelled_for_every_rule() -> None:
    examples = _corpus()
    assert len(examples) >= 60
    assert len({e["id"] for e in examples}) == len(examples)
    for example in examples:
        assert example["verdict"] in ("good", "bad"), example["id"]
        assert example["url"].startswith("http"), example["id"]
        assert set(example["labels"]) == set(LABEL_KEYS), example["id"]
        assert set(example["labels"].values()) <= {"pass", "warn", "fail"}, example["id"]


def test_checker_agrees_with_the_labels() -> None:
    examples = _corpus()
    total, table, disagreements = _report(examples)
    print(f"\nDraft checker vs {len(examples)} labelled real requests\n{table}")
    for line in disagreements:
        print("  ", line)
    assert total >= TARGET, f"{total:.1%} of rule verdicts agree (target {TARGET:.0%})\n{table}"


@pytest.mark.parametrize("example", _corpus(), ids=lambda e: e["id"])
def test_published_verdict_holds(example: dict) -> None:
    """Good requests are ready to send (warnings allowed) and never called a job ask;
    every bad one comes out "fix first"."""
    results = check_draft(example["text"])
    statuses = [r.status for r in results]
    failed = [f"{r.rule}: {r.detail}" for r in results if r.status == "fail"]
    if example["verdict"] == "good":
        assert not _fix_first(statuses), failed
    else:
        assert _fix_first(statuses), [f"{r.rule}: {r.status}" for r in results]
