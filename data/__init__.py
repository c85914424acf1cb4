"""Bundled demo data and the generators that make data folders."""
from pathlib import Path

DEMO_DIR = Path(__file__).parent / "demo"
