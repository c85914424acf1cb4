"""Which language each stretch of speech is in: Whisper's language probabilities, Russian or Kazakh only.

``--language auto`` (the default).  Whisper scores ~100 languages; ours are two,
so only the «ru» and «kk» tokens are read and renormalised: the embedded base
model, asked freely, calls synthetic Kazakh Latvian or Turkish.  Two kinds of
evidence, both from the encoder over voiced speech only (the VAD's chunks):

* each speaker (channel, or voice in mono) over up to 15 s of all their speech (``SPEAKER_S``), encoded
  without the padding to 30 s (:func:`transcription.encoder_cache.trimmed_length`: the encoder's
  cost grows faster than its window; packed by speaker, the speaker's first piece instead, the very
  window the decoder reads: :func:`speaker_windows`);
* each piece of the packed stream (up to 28 s) on its own.

A chunk takes its speaker's language; a piece spoken by one speaker takes the
mean of its own and the speaker's probability, or its own when that is sure
(``SWITCH``) — a caller who switches mid-call.  A piece with both speakers is not
judged as a whole (one window cannot say whose language it hears): each chunk
keeps its speaker's language.  Nor can such a piece stand in for its speakers' windows: on the
mixed calls of ``data.kazakh_audio`` (one side Kazakh) the window with both sides gave P(kk)
0.0001–0.0011, as low as a Russian call's (0–0.0001), where the Kazakh side alone gave 0.026–0.43.
The call's language counts words by their utterance's language: ``mixed`` when
each has at least ``MIXED_SHARE`` of the words (docs/CONTRACT.md section 1).

Kazakh pieces are decoded their own way (:func:`kazakh_decoding`, ``kk_decode``): with
``language="kk"``, never conditioned on the text before, without the Russian terms' prompt
(``kk_prompt``, none by default: a prompt of neutral Kazakh words measured worse), and with
the temperature fallback bounded.  The base
model often loops on Kazakh («өлің өлің өлің …», «жығығығығы…»); the loop is cut off
the segment (:func:`cut_loop`) instead of the guards dropping the whole piece.
"""
from __future__ import annotations

import copy
import logging
import math
import re
import zlib
from collections.abc import Hashable, Iterable, Sequence

import numpy as np

from transcription.audio import SAMPLE_RATE
from transcription.schema import Utterance

log = logging.getLogger(__name__)

CHOICES = ("ru", "kk")      # the languages a call may be in
SWITCH = 0.8                # a piece this sure of a language takes it, whoever speaks
MIXED_SHARE = 0.10          # docs/CONTRACT.md section 1: each language in at least 10 % of the words
MIN_WORDS = 3               # and at least this many words (one «рахмет» is no second language)
WINDOW_S = 30.0             # Whisper's window (packed by speaker: the longest piece, a speaker's first judges them)
# the speech a speaker is judged on in time order: 15 s of it, encoded without padding, cost the encoder a
# quarter of a padded window on the bench machine (0.13 against 0.55 CPU-s); the Kazakh sides of
# data.kazakh_audio say less than 15 s each, so the calibration there (bench/language_detect.py) is unchanged
SPEAKER_S = 15.0
# a Kazakh prompt that would only set the script: everyday words no rule looks for (no greeting, farewell,
# number or term), so an echo of it could not make or hide a finding.  Not used by default (``kk_prompt``):
# on bench/kazakh_asr.py it raised the CER (72.5 % without a prompt, 88.0 % with it, 6 recordings)
KK_NEUTRAL_PROMPT = "Иә, бүгін, ертең, кеше, қазір, осы, әрине, бірақ, өйткені, үшін."
KK_TEMPERATURES = (0.0, 0.2, 0.4)   # the fallback, bounded: higher temperatures only invent Kazakh-looking text
LOOP_REPEATS = 4            # a unit said this many times in a row, to the segment's end, is a loop
LOOP_UNIT_WORDS = 4         # the longest repeated unit looked for, in words
WORD_LOOP_CHARS = 3         # … and inside one word, in letters («ығ» in «жығығығығы»)
WORD_LOOP_REPEATS = 4
# the words before a loop are kept only if the model was sure of them (geometric mean of their probabilities):
# a decoder that loops has lost the audio, and on espeak-ng's Kazakh the base model writes sure-looking loops
# after unsure nonsense (p 0.3–0.6) that the rules would otherwise read as a call with no greeting
LOOP_KEEP_P = 0.7


def kk_probability(model, audio: np.ndarray, trim: bool = False) -> float:
    """P(kk | kk or ru) for up to 30 s of 16 kHz speech, by the model's language token probabilities.

    trim: the encoder hears the speech and a second after it, not the padding to 30 s.
    """
    from faster_whisper.transcribe import pad_or_trim

    from transcription.encoder_cache import trimmed_length

    audio = audio[: int(WINDOW_S * SAMPLE_RATE)]
    if not len(audio):
        return 0.5
    features = model.feature_extractor(audio)
    window = pad_or_trim(features[..., : model.feature_extractor.nb_max_frames])
    encoded = model.encode(window[..., :trimmed_length(window)] if trim else window)
    probs = {token[2:-2]: p for token, p in model.model.detect_language(encoded)[0]}
    ru, kk = probs.get("ru", 0.0), probs.get("kk", 0.0)
    return kk / (ru + kk) if ru + kk > 0 else 0.5


def calibrated(p_kk: float, threshold: float) -> float:
    """P(kk) with the prior moved so that ``threshold`` becomes even odds (``threshold`` 0.5: unchanged).

    Whisper learnt from far more Russian than Kazakh; a deployment that has labelled
    calls can set ``kk_threshold`` (``TranscribeOptions``) to the probability its
    Kazakh speech reaches (``python bench/language_detect.py`` measures it).
    """
    p = min(max(p_kk, 1e-6), 1 - 1e-6)
    t = min(max(threshold, 1e-6), 1 - 1e-6)
    odds = (p / (1 - p)) / (t / (1 - t))
    return odds / (1 + odds)


def chunk_languages(model, channels: Sequence[np.ndarray], chunks: Sequence, pieces: Sequence[tuple[int, int]],
                    piece_audio: Sequence[np.ndarray], threshold: float = 0.5, shared: bool = False) -> list[str]:
    """The language of each chunk (see the module's docstring).

    pieces: (first, last) chunk index of each piece; piece_audio: each piece's packed audio;
    threshold: the P(kk) that counts as even odds (:func:`calibrated`); shared: the speakers' speech is
    packed by speaker, so each speaker is judged on their first piece, the very window the decoder
    reads (:func:`speaker_windows`): no window is encoded for the language alone.
    """
    judged: dict[int, float] = {}   # each piece's calibrated P(kk), found once

    def piece_p(k: int) -> float:
        if k not in judged:
            judged[k] = calibrated(kk_probability(model, piece_audio[k]), threshold)
        return judged[k]

    voices = [{chunks[i].tag for i in range(first, last + 1)} for first, last in pieces]   # whose each piece is
    own = speaker_windows(voices) if shared else {}
    by_tag: dict[Hashable, list[np.ndarray]] = {}
    for c in chunks:
        parts = by_tag.setdefault(c.tag, [])
        if c.tag not in own and sum(len(p) for p in parts) < SPEAKER_S * SAMPLE_RATE:
            parts.append(channels[c.channel][int(c.start * SAMPLE_RATE):int(c.end * SAMPLE_RATE)])
    speaker = {tag: piece_p(own[tag]) if tag in own else
               calibrated(kk_probability(model, np.concatenate(parts)[:int(SPEAKER_S * SAMPLE_RATE)], trim=True),
                          threshold)
               for tag, parts in by_tag.items()}
    log.debug("speakers' P(kk): %s", {str(t): round(p, 3) for t, p in speaker.items()})
    langs = [_pick(speaker[c.tag]) for c in chunks]
    for k, ((first, last), tags) in enumerate(zip(pieces, voices, strict=True)):
        if len(tags) > 1:
            continue  # both speakers in one window: it cannot tell whose language it hears; each keeps theirs
        p = piece_p(k)
        lang = _pick(p) if p >= SWITCH or p <= 1 - SWITCH else _pick((p + speaker[next(iter(tags))]) / 2)
        for i in range(first, last + 1):
            langs[i] = lang
    return langs


def speaker_windows(voices: Sequence[set]) -> dict[Hashable, int]:
    """Packed by speaker (``voices``: the speakers of each piece): the piece each speaker is judged on, the
    index of their first (it holds their first up to 30 s of speech, cut on a chunk's end).  Judged on the
    first 30 s of their speech instead, a speaker who says more than one piece cost the encoder one window
    more (a mono call's voice: 0.57 CPU-s on the bench machine, a tenth of the call), since that window is
    no piece's."""
    out: dict[Hashable, int] = {}
    for k, tags in enumerate(voices):
        if len(tags) == 1:
            out.setdefault(next(iter(tags)), k)
    return out


def _pick(p_kk: float) -> str:
    return "kk" if p_kk > 0.5 else "ru"


def call_language(utterances: Sequence[Utterance]) -> str:
    """``ru``, ``kk``, ``mixed`` or ``unknown`` from the words of utterances that carry a language."""
    words = dict.fromkeys(CHOICES, 0)
    for u in utterances:
        if u.language in words:
            words[u.language] += len(u.text.split())
    total = sum(words.values())
    if total == 0:
        return "unknown"
    minority = min(words.values())
    if minority >= MIN_WORDS and minority >= MIXED_SHARE * total:
        return "mixed"
    return max(words, key=lambda k: words[k])


def kazakh_decoding(kw: dict, prompt: str = "") -> dict:
    """The decoder's settings for a Kazakh piece: ``language="kk"``, not conditioned on the text before,
    ``prompt`` (none if "") in place of the Russian terms, no hotwords, the temperature fallback bounded."""
    out = {**kw, "language": "kk", "condition_on_previous_text": False}
    out.pop("hotwords", None)
    out.pop("initial_prompt", None)
    if prompt:
        out["initial_prompt"] = prompt
    t = out.get("temperature")
    if isinstance(t, (list, tuple)) and len(t) > 1:
        out["temperature"] = [x for x in t if x <= max(KK_TEMPERATURES)] or list(KK_TEMPERATURES)
    return out


_LETTERS = re.compile(r"[^\w]+")
_INNER_LOOP = re.compile(rf"(\w{{1,{WORD_LOOP_CHARS}}})\1{{{WORD_LOOP_REPEATS - 1},}}")


def loop_start(words: Sequence[str]) -> int | None:
    """Index of the first word of a loop in ``words`` (None if none): the first word that loops inside
    itself («жығығығығы»), or the second saying of a unit of up to ``LOOP_UNIT_WORDS`` words said at least
    ``LOOP_REPEATS`` times in a row up to the end of the segment, where a looping decoder stops (its first
    saying is kept: «әлің өлің өлің өлің өлің өлі» → «әлің өлің»).  Digits said alike and then more
    («бір бір бір екі») run on, so they are no loop."""
    norm = [_LETTERS.sub("", w.lower()) for w in words]
    for i, w in enumerate(norm):
        if _INNER_LOOP.search(w):
            return i
        for p in range(1, LOOP_UNIT_WORDS + 1):
            unit = norm[i:i + p]
            if len(unit) < p or not all(unit):
                break
            k = 1
            while norm[i + k * p:i + (k + 1) * p] == unit:
                k += 1
            rest = norm[i + k * p:]
            if k >= LOOP_REPEATS and len(rest) <= p and all(unit[j].startswith(r) for j, r in enumerate(rest)):
                return i + p
    return None


def cut_loop(segment):
    """``segment`` (faster-whisper's) with a loop cut off its words and text: what was said before the loop
    is kept, with its own compression ratio, if the model was sure of it (``LOOP_KEEP_P``), else nothing is;
    the segment itself if it has no loop or no words."""
    words = list(segment.words or [])
    cut = loop_start([w.word for w in words]) if words else None
    if cut is None:
        return segment
    kept = words[:cut]
    if kept and math.exp(sum(math.log(max(w.probability, 1e-6)) for w in kept) / len(kept)) < LOOP_KEEP_P:
        kept = []
    text = "".join(w.word for w in kept)
    data = text.strip().encode("utf-8")
    ratio = len(data) / len(zlib.compress(data)) if data else 0.0
    log.debug("Kazakh loop cut after %d words: %r", cut, segment.text[:60])
    out = copy.copy(segment)
    out.words, out.text, out.compression_ratio = kept, text, ratio
    out.end = kept[-1].end if kept else segment.start
    return out


def kazakh_segments(segments: Iterable) -> list:
    """Each decoded Kazakh segment with its loop cut off (:func:`cut_loop`)."""
    return [cut_loop(s) for s in segments]
