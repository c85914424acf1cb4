"""Guards against invented text: loops and echoes of the prompt (no model needed)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from transcription.guards import dropped, echoes, looping, prompt_terms, without_repeats
from transcription.options import DEFAULT_PROMPT, TranscribeOptions


@pytest.mark.parametrize("text, expected", [
    ("Лицевой щет 227-9-1-8" + "-1" * 60, True),                 # the batched decoder stuck on one digit
    ("спасибо " * 12, True),
    ("1-1-1-1", False),                                          # too short to judge
    ("Назовите, пожалуйста, номер лицевого счёта и контактный телефон.", False),
    ("лицевой счёт один один один один два три четыре пять", False),   # dictated digits repeat a little
])
def test_looping(text, expected):
    assert looping(text, 2.4) is expected


@pytest.mark.parametrize("text, expected", [
    ("алия ипу гвс путэ опломбировка ради", True),               # the prompt's list instead of digits
    ("иван петрович ипу гвс ботэ потэ путэ", True),               # misspelt echo
    ("лицевой счёт 2 2 7 9 1 8", False),                         # one term is speech
    ("мне нужно вызвать мастера на опломбировку счётчика", False),
    ("показания переданы в алсеко", False),
    ("", False),
])
def test_echoes_of_the_default_prompt(text, expected):
    assert echoes(text, DEFAULT_PROMPT) is expected


def test_no_prompt_no_echo():
    assert echoes("ипу гвс путэ", "") is False


def test_prompt_terms_split_on_commas_and_stops():
    assert prompt_terms("Алматинские тепловые сети. Лицевой счёт, ИПУ ГВС") == [
        ("алматинские", "тепловые", "сети"), ("лицевой", "счет"), ("ипу", "гвс")]


def _seg(text="слово", compression_ratio=1.2, no_speech_prob=0.1, avg_logprob=-0.3):
    return SimpleNamespace(text=text, compression_ratio=compression_ratio, no_speech_prob=no_speech_prob,
                           avg_logprob=avg_logprob)


LOOPED = "Лицевой счёт 1, 3, 5, 6" + ", 1, 3, 5, 6" * 12


@pytest.mark.parametrize("seg, reason", [
    (_seg(), None),
    (_seg(text="  "), "empty"),
    (_seg(text=LOOPED), "compression ratio 3.79"),
    # the plain decoder's segments carry the whole window's ratio: a loop later in the window must not
    # take the greeting with it
    (_seg(text="Здравствуйте, Алматинские тепловые сети, оператор Наталья.", compression_ratio=3.12), None),
    (_seg(no_speech_prob=0.9, avg_logprob=-1.2), "no-speech probability 0.90"),
    (_seg(no_speech_prob=0.9, avg_logprob=-0.2), None),          # sure of the words despite "no speech"
    (_seg(avg_logprob=-1.7), "avg log-probability -1.70"),
    (_seg(text=" Редактор субтитров А.Синецкая Корректор А.Егорова"), "subtitle credits (a Whisper artefact)"),
    (_seg(text="Продолжение следует..."), "subtitle credits (a Whisper artefact)"),
    (_seg(text="Субтитры сделал DimaTorzok"), "subtitle credits (a Whisper artefact)"),
    (_seg(text=" ДИНАМИЧНАЯ МУЗЫКА"), "a sound caption (a Whisper artefact)"),   # over a noisy line
    (_seg(text=" СПОКОЙНАЯ МУЗЫКА"), "a sound caption (a Whisper artefact)"),
    (_seg(text="Аплодисменты."), "a sound caption (a Whisper artefact)"),
    (_seg(text="У вас на линии играет музыка, ничего не слышно."), None),   # said about music: speech
    (_seg(text="Спасибо за обращение, всего доброго."), None),
    (_seg(text="Я корректор в типографии, субботу не работаю."), None),
])
def test_dropped_segments(seg, reason):
    assert dropped(seg, TranscribeOptions()) == reason


def _said(*texts):
    return [SimpleNamespace(text=t, start=float(i), end=float(i) + 1) for i, t in enumerate(texts)]


@pytest.mark.parametrize("texts, kept", [
    (["Показания 940 приняты.", "Показания 940 приняты.", "Показания 940 приняты.", "Показания 940 приняты."], 1),
    (["Добрый день.", "Добрый день.", "Добрый день.", "Добрый день."], 1),       # a short loop too
    (["Да, всё верно.", "да всё верно", "Да, всё верно!", "Всего доброго."], 2),  # punctuation and case aside
    (["Назовите лицевой счёт.", "Один два три.", "Назовите лицевой счёт.", "Один два три."], 4),
    (["Спасибо.", "Пожалуйста.", "Спасибо."], 3),
    (["", "", ""], 3),                                                     # empty ones are ``dropped``'s
])
def test_a_loop_spread_over_segments_keeps_its_first_segment(texts, kept):
    assert len(list(without_repeats(_said(*texts)))) == kept
