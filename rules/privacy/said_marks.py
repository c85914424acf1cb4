"""The marks between an identifier's pieces said as words, Russian and Kazakh: «дробь», «тире», «сызықша» (dash),
«қиғаш» (slash, «қиғаш сызық»), «бөлшек» (fraction), «бөлу» (division: «қырық жеті бөлу жиырма алты»).  One list,
so that every mechanism that joins pieces reads the same marks."""
from __future__ import annotations

SAID_MARKS = frozenset({"дробь", "тире", "дефис", "слэш", "слеш", "сызықша", "сызық", "қиғаш", "бөлшек", "бөлу"})
