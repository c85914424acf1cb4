"""Key phrases heard by sound (rules/phonetics.py): bends a recogniser makes, and words that only look alike."""
from __future__ import annotations

import random

import pytest

from rules.phonetics import Heard, distance, key, phrase_keys, sounds_like
from rules.text import morph

GREETINGS = phrase_keys(["здравствуйте", "сәлеметсіз бе", "добрый день", "доброе утро", "добрый вечер"])
FAREWELLS = phrase_keys(["до свидания", "всего доброго", "хорошего дня", "спасибо за обращение"])


@pytest.mark.parametrize("said, keys, heard", [
    ("здраствуйте тепловые сети", GREETINGS, True),           # a letter dropped
    ("сдравствуйте", GREETINGS, True),                        # voiced and voiceless fall together
    ("из драфствовмете меня зовут", GREETINGS, True),         # split and bent
    ("лимит сисби алматински", GREETINGS, True),              # «сәлеметсіз бе» as the base model writes it
    ("салеметсиз бе", GREETINGS, True),                       # Kazakh letters transliterated
    ("добрый вечер", GREETINGS, True),
    ("тепловые сети оператор мадина", GREETINGS, False),      # no greeting in it
    ("алло слушаю", GREETINGS, False),
    ("ваш вопрос решен", GREETINGS, False),
    ("всего доброго", GREETINGS, False),                      # a farewell is no greeting
    ("до свиданье", FAREWELLS, True),
    ("досвидание", FAREWELLS, True),
    ("спасибо за обращения", FAREWELLS, True),
    ("заявка оформлена", FAREWELLS, False),
    ("показания приняты", FAREWELLS, False),
    ("хорошо спасибо", FAREWELLS, False),
])
def test_sounds_like(said, keys, heard):
    assert sounds_like(keys, said.split(), 0.34) is heard


# With the dictionary: real words the recogniser wrote are what it heard, so only a bent word (one the dictionary
# does not know) and its neighbours are searched loosely; a run of real words must match the phrase whole.
@pytest.mark.parametrize("said, keys, heard", [
    ("спасибо за ожидание информацию уточнила", FAREWELLS, False),   # another phrase of real words
    ("по вакансиям обращайтесь в отдел кадров", FAREWELLS, False),   # «…ращайтесь в отдел…» inside other words
    ("спасибо за обращения", FAREWELLS, True),                       # an inflection of real words
    ("всего доброва", FAREWELLS, True),                              # a bent word
    ("из драфствовмете меня зовут", GREETINGS, True),
    ("сдравстом идите тепловые сети", GREETINGS, True),
    ("три меттизбе", GREETINGS, True),
])
def test_sounds_like_reads_real_words_as_heard(said, keys, heard):
    assert sounds_like(keys, said.split(), 0.34, known=morph().word_is_known) is heard


@pytest.mark.parametrize("a, b", [("опломбировать", "опламбировать"), ("заявку", "заявка"), ("счётчик", "счетчик"),
                                  ("сәлем", "салем"), ("ц", "с")])
def test_keys_merge_what_a_line_confuses(a, b):
    assert key(a)[:4] == key(b)[:4]


def _sellers(phrase: str, text: str) -> float:
    """The textbook table (one column per text sound, a match may start anywhere): what ``distance`` must equal."""
    n = len(phrase)
    if not n:
        return 1.0
    prev = list(range(n + 1))
    best = prev[n]
    for ch in text:
        cur = [0] * (n + 1)
        for i in range(1, n + 1):
            cur[i] = min(prev[i - 1] + (phrase[i - 1] != ch), prev[i] + 1, cur[i - 1] + 1)
        best = min(best, cur[n])
        prev = cur
    return best / n


@pytest.mark.parametrize("phrase, text, want", [
    ("sterastfuete", "setsterastfuetetepla", 0.0),    # the phrase inside the text
    ("sterastfuete", "stastfuete", 2 / 12),            # two sounds dropped
    ("tasfetanea", "", 1.0),                           # nothing said
    ("", "abc", 1.0),
    ("a" * 70, "a" * 65, 5 / 70),                      # longer than a machine word
])
def test_distance_examples(phrase, text, want):
    assert distance(phrase, text) == want


@pytest.mark.parametrize("seed", range(6))
def test_distance_equals_the_textbook_table(seed):
    r = random.Random(seed)
    sounds = "aeupftkswlmnr"
    for _ in range(400):
        phrase = "".join(r.choice(sounds[:r.randint(2, 13)]) for _ in range(r.randint(1, 70)))
        text = "".join(r.choice(sounds) for _ in range(r.randint(0, 80)))
        if r.random() < 0.4:  # the phrase, a little bent, somewhere in the text
            at = r.randint(0, len(text))
            text = text[:at] + "".join(c if r.random() > 0.15 else r.choice(sounds) for c in phrase) + text[at:]
        assert distance(phrase, text) == _sellers(phrase, text), (phrase, text)


def _stretch(keys: list[str], b: int, reach: int) -> str:
    """The keys of the words around word b joined, as the module docstring says: as many whole neighbours on each
    side as fit within ``reach`` sounds, a sound doubled across a joint said once (written plainly)."""
    i, left = b, 0
    while i > 0 and left + len(keys[i - 1]) <= reach:
        i -= 1
        left += len(keys[i])
    j, right = b + 1, 0
    while j < len(keys) and right + len(keys[j]) <= reach:
        right += len(keys[j])
        j += 1
    out = ""
    for k in keys[i:j]:
        out += k[1:] if out and k and out[-1] == k[0] else k
    return out


@pytest.mark.parametrize("seed", range(4))
def test_the_stretches_around_bent_words_are_their_words_joined(seed):
    """``Heard`` cuts each stretch out of the whole utterance's joined key (not word by word): the same strings."""
    r = random.Random(seed)
    for _ in range(300):
        words = ["".join(r.choice("абвгдзоеуиьй") for _ in range(r.randint(0, 6))) or "12"  # «12»: no sounds
                 for _ in range(r.randint(1, 12))]
        bent = {w for w in words if r.random() < 0.4}
        heard = Heard(words, lambda w, bent=bent: w not in bent)
        for reach in (0, 3, 6, 12, 30):
            want = [_stretch(heard.keys, b, reach) for b, w in enumerate(words) if w in bent]
            assert heard._arounds(reach) == want, (words, reach)
            # the zone ``like`` screens with holds every stretch of a reach up to its own as a subsequence
            for wider in (reach, reach + 4, 40):
                zone = heard._zone(wider)
                assert all(_subsequence(s, zone) for s in want), (words, reach, wider, zone)


def _subsequence(a: str, b: str) -> bool:
    it = iter(b)
    return all(ch in it for ch in a)


@pytest.mark.parametrize("seed", range(3))
def test_a_long_phrase_list_hears_what_its_phrases_hear_one_by_one(seed):
    """A long list (screened as one array) hears a stretch exactly when one of its phrases alone (a short list,
    screened one by one) does."""
    r = random.Random(seed)
    pool = [key(p.replace(" ", "")) for p in (
        "здравствуйте", "добрый день", "добрый вечер", "до свидания", "всего доброго", "спасибо за обращение",
        "сколько можно повторять", "вы меня не слышите", "я вам уже сказала", "это не наша проблема",
        "обращайтесь в другое место", "заявка принята", "лицевой счет", "тепловые сети", "опломбировать")]
    for _ in range(60):
        words = [w for w in r.choice(["здрасьте вы меня не слыште", "до свиданье всего доброва", "сколько можно",
                                      "обрашайтесь в другое место", "заевка пренята лецевой щет", "тепловые сеть"]
                                     ).split()]
        words += r.sample(["ну", "да", "вот", "алло", "слушаю", "опломбировать", "абвгд"], r.randint(0, 3))
        r.shuffle(words)
        keys = tuple(r.sample(pool, len(pool)))
        long = keys * 3   # past the length from which the list is screened as one array
        heard = Heard(words, morph().word_is_known)
        one_by_one = any(Heard(words, morph().word_is_known).like((k,), 0.3, 6) for k in keys)
        assert heard.like(long, 0.3, 6) is one_by_one, words
