"""Fixtures for the understanding: the sample county FAQ, a second FAQ of another department,
and small FAQ files written per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.faq import FaqIndex

ROOT = Path(__file__).resolve().parents[2]
COUNTY_FAQ = ROOT / "data" / "faq-county.yaml"
DATA = Path(__file__).with_name("data")
HEALTH_FAQ = DATA / "faq-health.yaml"
FAMILY_FAQ = DATA / "faq-family.yaml"


@pytest.fixture(scope="session")
def county() -> FaqIndex:
    return FaqIndex.load(COUNTY_FAQ)


@pytest.fixture(scope="session")
def health() -> FaqIndex:
    return FaqIndex.load(HEALTH_FAQ)


@pytest.fixture
def write_faq(tmp_path: Path):
    """Write a FAQ file from YAML text and return its path."""

    def write(text: str, name: str = "faq.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
