"""One call as a conversation: chat or two columns, violated phrases marked with their clause."""
from __future__ import annotations

import html
from dataclasses import dataclass

import polars as pl
import streamlit as st

from analytics.catalogue.formats import fmt_clause, fmt_seconds
from analytics.catalogue.labels import SPEAKERS_RU
from dashboards import context

MAX_UTTERANCES = 400
_SLACK_S = 1.0   # a finding belongs to an utterance it overlaps, give or take this


@dataclass(frozen=True)
class Mark:
    rule: str
    clause: str
    title: str
    evidence: str


def marks_for(utt: dict, findings: list[dict], titles: dict[str, str]) -> list[Mark]:
    """The findings said in this utterance: same speaker, overlapping in time, with evidence."""
    out = []
    for f in findings:
        if not f["evidence"] or f["start"] is None or f["speaker"] != utt["speaker"]:
            continue
        end = f["end"] if f["end"] is not None else f["start"]
        if f["start"] <= utt["end"] + _SLACK_S and end >= utt["start"] - _SLACK_S:
            out.append(Mark(f["rule"], f["clause"], titles.get(f["rule"], f["rule"]), f["evidence"]))
    return out


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[](){}#!|~$:^"})


def plain(text: str) -> str:
    """``text`` as it was said, for a Markdown element: no formatting, link, image, emoji or directive in it
    takes effect (a transcript is data, and ``![](http://…)`` in it must not make the browser fetch anything)."""
    one_line = str(text).replace("\r", " ").replace("\n", " ")
    return html.escape(one_line.translate(_MARKDOWN), quote=False)


def highlight(text: str, marks: list[Mark]) -> str:
    """HTML of ``text`` with each mark's evidence wrapped in <mark title="п. clause — title">."""
    spans: list[tuple[int, int, Mark]] = []
    low = text.lower().replace("ё", "е")
    for m in marks:
        at = low.find(m.evidence.lower().replace("ё", "е"))
        if at >= 0 and not any(a < at + len(m.evidence) and at < b for a, b, _ in spans):
            spans.append((at, at + len(m.evidence), m))
    spans.sort(key=lambda s: s[0])
    out, pos = [], 0
    for a, b, m in spans:
        tip = html.escape(f"{fmt_clause(m.clause)} СТП-04-2019 — {m.title}", quote=True)
        out.append(plain(text[pos:a]))
        out.append(f'<mark class="oka-violation" title="{tip}" style="background:#ffd6d6;border-radius:3px;'
                   f'padding:0 2px">{plain(text[a:b])}<sup> {html.escape(fmt_clause(m.clause))}</sup></mark>')
        pos = b
    out.append(plain(text[pos:]))
    unplaced = [m for m in marks if m not in {s[2] for s in spans}]
    for m in unplaced:   # evidence not found verbatim (ASR text differs): still say it
        tip = html.escape(f"{fmt_clause(m.clause)} — {m.title}", quote=True)
        out.append(f' <mark class="oka-violation" title="{tip}" style="background:#ffd6d6">'
                   f'«{plain(m.evidence)}» {html.escape(fmt_clause(m.clause))}</mark>')
    return "".join(out)


def _utterance(utt: dict, findings: list[dict], titles: dict[str, str], key: str, current: bool) -> None:
    left, right = st.columns([1, 12], vertical_alignment="top")
    if left.button(fmt_seconds(utt["start"]), key=key, help="Слушать с этого места", type="tertiary"):
        context.seek(utt["start"])
        st.rerun()
    who = SPEAKERS_RU.get(utt["speaker"], utt["speaker"])
    playing = ":red[**▶**] " if current else ""
    right.markdown(f"{playing}**{who}:** {highlight(utt['text'], marks_for(utt, findings, titles))}",
                   unsafe_allow_html=True)


def conversation(utterances: pl.DataFrame, findings: pl.DataFrame, titles: dict[str, str], layout: str,
                 at_second: float | None = None) -> None:
    """``layout``: "chat" (one column, operator and customer as chat bubbles) or "columns" (operator left).

    The utterance the player starts in (``at_second``) is marked ▶.
    """
    fl = findings.filter(pl.col("verdict").is_null() | (pl.col("verdict") != "rejected")).to_dicts()
    rows = utterances.head(MAX_UTTERANCES).to_dicts()
    if utterances.height > MAX_UTTERANCES:
        st.caption(f"Показаны первые {MAX_UTTERANCES} реплик из {utterances.height}.")
    current = None
    if at_second is not None:
        spoken = [u["idx"] for u in rows if u["start"] <= at_second + 0.05]
        current = spoken[-1] if spoken else None
    for utt in rows:
        key = f"utt_{utt['idx']}"
        now = utt["idx"] == current
        if layout == "columns":
            op, cu = st.columns(2)
            with op if utt["speaker"] != "customer" else cu:
                _utterance(utt, fl, titles, key, now)
        else:
            role = "assistant" if utt["speaker"] == "operator" else "user"
            avatar = ":material/support_agent:" if utt["speaker"] == "operator" else ":material/person:"
            with st.chat_message(role, avatar=avatar):
                _utterance(utt, fl, titles, key, now)
