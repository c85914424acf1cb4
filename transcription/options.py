"""Transcription settings: every field has a default that works and a meaning."""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MODEL = "embedded-base"

# the decoding prompt: the company's name (said in every greeting) and the department's terms
DEFAULT_PROMPT = (
    "Алматинские тепловые сети. Лицевой счёт, показания счётчика, ИПУ ГВС, ПУТЭ, "
    "опломбировка, распломбировка, АЛСЕКО, ИС РАДИ."
)

# how the operator names the company when answering: mono role assignment takes the voice that says
# one of these near the start for the operator's.  The rules' rulebook keeps the list
# (``operator_greeting`` in rules/rulebook.yaml); its callers pass it in, this copy is the fallback
# for a caller that does not (tests/test_transcription_roles.py fails when the two differ).
DEFAULT_OPERATOR_GREETING = (
    "алматинские тепловые сети", "тепловые сети", "тепловых сетей", "тепловой сети", "тепловые сеть",
    "алматинские тепловые", "алматинских тепловых", "алматинские", "алматинских",
)

DEFAULT_HOTWORDS = (
    "ИПУ ГВС, ПУТЭ, опломбировка, распломбировка, лицевой счёт, АЛСЕКО, ИС РАДИ, "
    "Алматинские тепловые сети"
)


@dataclass
class TranscribeOptions:
    """How recordings become transcripts.

    model: ``embedded-base`` (the Whisper base model shipped in the package index),
        a size name (``small``, ``large-v3``: downloaded by faster-whisper where a
        network allows) or a path to a CTranslate2 Whisper model folder.
    device: ``auto``, ``cpu`` or ``cuda``.
    compute_type: ``auto`` picks int8 on CPU and float16 on GPU.
    language: ``auto`` (each speaker's and each piece's language found by Whisper, Russian or
        Kazakh only: ``transcription.language``), ``ru`` or ``kk`` to force one.
    kk_threshold: with ``auto``, the probability of Kazakh (among Russian and Kazakh, by
        Whisper's language tokens) at which speech counts as Kazakh.  0.5 takes the model
        as it is; the embedded base model gives espeak-ng's synthetic Kazakh only 0.02–0.28
        (``python bench/language_detect.py``), so a deployment with labelled Kazakh calls
        should measure and set it.
    layout: ``auto`` (stereo files are taken as operator-left), or one of the
        contract's layouts to force it.
    vad: cut silence with Silero VAD before decoding (fewer hallucinations).
    beam_size: beam search width; 1 is greedy.  5 (Whisper's own) by default:
        on the ASR bench it cut the customer-side WER from 47.8% to 40.9% at
        about the same CPU time (greedy decoding falls back to sampling more).
        Narrower beams cost a few per cent less CPU on the bench (beams 3 and 2 measured), but
        beams 4 and 3 each brought a false finding and lowered mono role accuracy on the held-out
        corpus's dev half (in-sample: it had been looked at before; README, ASR section).
    batch_size: segments decoded together by ``BatchedInferencePipeline``.
    decode_together: calls a worker transcribes at the same time on CPU, their windows decoded in one
        batch (:mod:`transcription.joint_decode`): the same transcripts for less CPU; 1 one call at a time.
    workers: recordings transcribed at the same time (one model per worker
        process); 0 picks one per CPU core (at most 4) on CPU, one on a GPU.
        On the bench, 0 on 2 cores gave 1.6-1.8 times the naive loop's
        throughput, 1 about the same as it.
    cpu_threads: threads per worker; 0 shares the cores among the workers.
    no_speech_threshold / compression_ratio_threshold / logprob_threshold:
        segments beyond these are dropped as likely hallucinations.
    prompt: text given to the decoder as if said just before each piece
        (Whisper's ``initial_prompt``): the company's name and the
        department's terms (``DEFAULT_PROMPT``), "" for none.  On the ASR bench
        (``python bench/asr.py``) it lowers the word error rate on both sides
        of stereo calls, mostly by spelling the terms right («лицевой счёт»,
        «счётчика»).  Where the speech is hard a prompted model may write the
        list of terms instead (an echo); such a piece is decoded again without
        the prompt (:func:`transcription.guards.echoes`).
    hotwords: terms passed to faster-whisper's ``hotwords`` ("" for none).  Off:
        on 8 stereo calls of the ASR bench the department's terms
        (``DEFAULT_HOTWORDS``) raised the embedded base model's WER from 34.7%
        to 46.3% (operator) and 44.5% to 65.0% (customer), at 2.7 times the
        CPU: it skipped the greeting and wrote the terms where nobody said them.
    word_timestamps: keep per-word times (needed by interruption and tempo rules).
    cache_dir: where finished transcripts are cached by audio hash and settings.
    batched_min_s: calls with at least this much speech (s) go through
        faster-whisper's ``BatchedInferencePipeline``: pieces of up to 28 s
        decoded ``batch_size`` at a time, one pass each, with the prompt; a
        piece that fails a guard (loop, echo of the prompt, low
        log-probability, a stretch of speech with no words) is decoded again
        alone.  Less speech, or a negative value: the plain decoder does the
        whole call, without the prompt (nothing there checks for its echoes:
        with the prompt, ``bench/asr.py --set batched_min_s=-1`` measured 72.7%
        WER on the customers' side of stereo calls).
    bleed_gate_db: on stereo, silence a channel wherever it is this many dB
        quieter than the other channel while that one speaks (the faint copy a
        leaking recorder puts there); 0 switches the gate off.
    bleed_similarity: two overlapping utterances on opposite channels whose
        texts are at least this similar (0..1) are one utterance heard twice;
        the copy on the quieter channel is dropped.
    kk_decode: Kazakh pieces decoded the Kazakh way (``transcription.language.kazakh_decoding``): without
        the Russian terms' prompt (``kk_prompt`` instead), the temperature fallback bounded at 0.4, a loop cut
        off the segment (the words before it kept if the model was sure of them) instead of the segment
        dropped, and the one second pass of a piece that fails a guard chunk by chunk (the base model loops
        over whole pieces of Kazakh, even alone).  False: decoded like Russian pieces, only with
        ``language="kk"`` (``python bench/kazakh_asr.py`` compares them).
    kk_prompt: the prompt of Kazakh pieces under ``kk_decode``; "" none.  The neutral-word prompt
        ``transcription.language.KK_NEUTRAL_PROMPT`` raised the CER on the bench, so none by default.
    temperature_fallback: decode a segment again at higher temperatures when
        greedy decoding fails the compression-ratio or log-probability checks
        (Whisper's own remedy; costly on noisy lines).  Off: one greedy pass,
        and the failing segments are dropped by the checks above.
    pack_by_speaker: with ``language="auto"``, pack a call's speech speaker by speaker where that sends
        fewer windows through the encoder (:func:`transcription.recognize.language_packing`: the speaker's
        language window, the piece's language and the words then share one encoding).  Off by default:
        a piece then holds both sides in time order, and each side is heard with the other as context.
        On the ASR bench (``python bench/asr.py --calls 12 --prompt on``, old and new code side by side;
        the new code carried other changes too) the pipeline's CPU per audio second went from 0.110 to
        0.088, and the stereo customers' WER from 28.9% to 34.6% (24 calls: 34.4% to 38.0%); the customer
        says the account and the readings, so accuracy wins.  A backfill that values throughput may switch
        it on (``--set pack_by_speaker=true`` on the bench).
    hopeless_logprob: a batched piece whose every segment with words decoded below this average
        log-probability is not decoded a second time (a second pass rarely saves such audio and made noisy
        μ-law calls slower than real time); its segments fall to the guards and the rules abstain.  -2.0 is
        a guess; it never fired on the bench (Whisper writes invented text on noise at −0.2…−0.9).
    hopeless_snr_db: a piece that failed a guard is not decoded a second time when its voice stands less than
        this many dB above its noise (``transcription.audibility.speech_to_noise_db``): the model reads
        nothing there (``bench/bad_audio.py``'s noisy line, about 4 dB: WER 0.97–0.99; the held-out dev
        half's calls at 5–9 dB: WER 0.76–1.05); a negative value never.
    extra_passes: the passes after the second: a piece that came out empty even when decoded alone
        decoded again chunk by chunk, the speech a loop swallowed once more.  Off: at most one second pass
        per piece (bad audio stays cheap), as the issue asks; what that costs on the held-out dev half
        (``python bench/heldout.py --half dev --wer``, in-sample, on against off): precision, recall and topic
        unchanged (1.000 / 0.263 / 0.533), WER operators 64.2 → 65.4 %, customers 80.9 → 82.9 %, mono roles
        0.965 → 0.955 (``heldout_12`` lost its customer's phone number and the operator's closing sentence).
    second_pass_by_speaker: a piece holding both speakers' chunks is decoded the second time as one stream
        per speaker (each second of it still decoded once more), so that a loop on one voice cannot swallow
        the other's words.  Off by default: on the held-out dev half (``python bench/heldout.py --half dev``,
        in-sample) it raised recall 0.263 → 0.368 and topic 0.533 → 0.600 (WER operators 65.4 → 62.2 %,
        customers 82.9 → 80.7 %, against the piece alone), but on ``bench/bad_audio.py``'s clean line of
        ``heldout_12`` the customer's stream looped after the dictated account number and lost the customer's
        later turns, and two rules judging absence fired on the loss (``request.data_missing``,
        ``name.not_used``): a violation invented is worse than one missed.
    trim_padding: on CPU, Whisper's encoder hears each window only up to its sound and one second after
        (``transcription.encoder_cache``), not the zeros that pad it to 30 s: the encoder's cost grows faster
        than the window.  Off by default: on the ASR bench's calls 6-23 (18 calls, prompt on, one process,
        loaded machine) it saved 9 % of the pipeline's CPU but the operators' WER rose (34.9 → 37.8 % and
        35.6 → 37.5 % in two runs) and the customers' too in one (30.1 → 39.3 %): the base model loops more
        on a window without its padding, and the second passes ate the savings.  (A speaker's language
        window is always encoded this way: ``transcription.language.SPEAKER_S``.)
    mono_by_voice: on a mono call, each voice's speech stretches (``transcription.roles``) are packed and decoded
        as pieces of their own, never in one window with the other voice's: where one voice is hard to hear
        (a synthetic or muffled customer), Whisper, decoding a window that holds both, skips from the first
        stretch it cannot read to the next window and loses the other voice's sentences after it too
        (the held-out corpus's dev call ``heldout_02``: the operator's «по какой причине нужен выезд мастера»
        and «заявка оформлена» gone with the customer's turns).  On the held-out corpus's 5 dev mono calls
        (the transcripts of ``python bench/heldout.py --half dev --wer``, in-sample; the whole dev half: operators
        68.5 → 64.2 %, topic 0.467 → 0.533, recall 0.211 → 0.263, precision 1.000 both) the operators' WER went
        from 63.9 % to 50.8 % and mono role accuracy from 0.920 to 0.965; the customers' from 96.4 % to 98.2 %: every
        mono customer there is an espeak-ng voice, which the embedded base model cannot read even alone
        (99.4 % with each written turn decoded on its own).  The dev half's 10 stereo calls mixed down to mono
        (``--downmix``: festival customers too): operators' WER 75.9 → 72.7 %, customers' 74.6 → 75.2 %,
        roles 0.961 → 0.986, topic 0.300 → 0.600, precision 1.000 both.  Off: both voices in time
        order, each the other's context.  Stereo calls are not affected (``pack_by_speaker`` is their switch).
    role_min_margin: mono role assignment; a speech stretch whose voice is not
        at least this much closer (0..1, relative distance) to one speaker's
        voice than to the other's is labelled ``unknown``.
    operator_greeting: mono role assignment; phrases (lowercase words, «ё» as «е»)
        by which the operator names the company when answering: the voice that
        says one within the first 30 s is the operator's.  The rulebook's
        ``operator_greeting`` (``rules.rulebook.operator_greeting()``), passed in
        by ``oka-qa ingest`` and ``oka-qa transcribe``; empty: the first voice is.
    """

    model: str = DEFAULT_MODEL
    device: str = "auto"
    compute_type: str = "auto"
    language: str = "auto"
    kk_threshold: float = 0.5
    layout: str = "auto"
    vad: bool = True
    beam_size: int = 5
    batch_size: int = 8
    decode_together: int = 4
    workers: int = 0
    cpu_threads: int = 0
    no_speech_threshold: float = 0.6
    compression_ratio_threshold: float = 2.4
    logprob_threshold: float = -1.0
    prompt: str = DEFAULT_PROMPT
    hotwords: str = ""
    word_timestamps: bool = True
    cache_dir: str = "var/cache/transcripts"
    batched_min_s: float = 0.0
    bleed_gate_db: float = 14.0
    bleed_similarity: float = 0.6
    hopeless_logprob: float = -2.0
    hopeless_snr_db: float = 6.0
    extra_passes: bool = False
    second_pass_by_speaker: bool = False
    pack_by_speaker: bool = False
    trim_padding: bool = False
    mono_by_voice: bool = True
    role_min_margin: float = 0.1
    operator_greeting: tuple[str, ...] = DEFAULT_OPERATOR_GREETING
    temperature_fallback: bool = True
    kk_decode: bool = True
    kk_prompt: str = ""
