"""Scale: a generated Telegram Desktop export of 20,000 channel posts (invented texts) added with `wayhome add`,
index included, within 10 minutes and bounded memory; the export is read as a stream.

Run by hand for the figures: ``python tests/sources/test_channel_scale.py OUT.json 20000`` writes an export;
``/usr/bin/time -v wayhome add OUT.json --channel-username demo_scale`` adds it (each stage's time is printed).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import pytest

ROOT = Path(__file__).resolve().parents[2]
CITIES = ("Москве", "Екатеринбурге", "Самаре", "Новосибирске", "Казани", "Перми", "Омске", "Иркутске", "Твери")
PLACES = ("у приёмной Минобороны", "на Манежной площади", "у Вечного огня", "у здания областной думы",
          "в сквере у администрации", "у памятника Ленину")
ACTS = ("пикет", "встреча с депутатом", "сбор подписей", "акция с цветами", "пресс-конференция")
TOPICS = ("срок службы мобилизованных", "ротация полков", "отпуска с фронта", "демобилизация после года службы",
          "ответы военкоматов", "помощь семьям")
LINES = ("Просим всех, кто может, прийти и поддержать.", "Возьмите с собой паспорт и заряженный телефон.",
         "Ответ из приёмной пришёл формальный: обращение зарегистрировано.", "Мы не сдаёмся и продолжаем писать.",
         "Полиция наблюдала, но не вмешивалась.", "Спасибо всем, кто помог с листовками.",
         "Делитесь этим постом с родственниками мобилизованных.")


def post_text(rng: random.Random, number: int) -> str | list[object]:
    head = (f"{rng.choice(ACTS).capitalize()} в {rng.choice(CITIES)} {rng.choice(PLACES)}: "
            f"{rng.randint(1, 28)} числа в {rng.randint(9, 19)}:00. Тема — {rng.choice(TOPICS)}.")
    body = " ".join(rng.sample(LINES, rng.randint(0, 4)))
    text = f"{head}\n\n{body}".strip() + f" (№ {number})"
    if number % 5 == 0:
        return [{"type": "bold", "text": head}, "\n\n" + body + " ", {"type": "text_link", "text": "подробнее",
                                                                        "href": "https://example.org/"}]
    return text


def write_export(out: IO[str], posts: int, seed: int = 22) -> None:
    """A channel export of ``posts`` messages with text, plus service messages and photos without text."""
    rng = random.Random(seed)
    out.write('{\n "name": "Путь домой (нагрузочный тест)",\n "type": "public_channel",\n "id": 1799999999,\n'
              ' "messages": [\n')
    first = True
    for number in range(1, posts + (posts - 1) // 49 + 1):  # every 50th a service message: ``posts`` with text
        day = 1 + number % 28
        message: dict[str, object] = {"id": number, "type": "message", "date": f"2024-0{1 + number % 9}-{day:02d}"
                                      "T10:00:00", "from": "Путь домой", "text": post_text(rng, number)}
        if number % 50 == 0:
            message = {"id": number, "type": "service", "date": "2024-01-01T10:00:00", "action": "pin_message",
                       "text": ""}
        out.write(("" if first else ",\n") + "  " + json.dumps(message, ensure_ascii=False))
        first = False
    out.write("\n ]\n}\n")


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("WAYHOME_SCALE_TEST"), reason="an hour-scale measurement: WAYHOME_SCALE_TEST=1 runs it")
@pytest.mark.timeout(7200)  # the bound is asserted below, so a slow machine reports its figure
def test_twenty_thousand_posts_are_added_within_ten_minutes(tmp_path: Path) -> None:
    export = tmp_path / "result.json"
    with export.open("w", encoding="utf-8") as out:
        write_export(out, 20_000)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shared = ROOT / "index" / "encoders"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAYHOME_")}
    env["WAYHOME_MULTILINGUAL_MODEL"] = os.environ.get("WAYHOME_MULTILINGUAL_MODEL", "multilingual-e5-small")
    if shared.is_dir():
        import shutil

        shutil.copytree(shared, tmp_path / "index" / "encoders")
    started = time.monotonic()
    done = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "bot.cli", "add", str(export),
                           "--channel-username", "demo_scale", "--corpus", str(corpus), "--index",
                           str(tmp_path / "index")], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-3000:]
    peak_mb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)[1]) / 1024  # type: ignore[index]
    print(f"\n20,000 posts: {seconds:.0f} s, peak RSS {peak_mb:.0f} MB\n{done.stdout[-600:]}")
    assert "added 20000" in done.stdout
    assert len(list((corpus / "telegram" / "demo_scale").iterdir())) == 20_000
    assert seconds <= 600 and peak_mb <= 2048


if __name__ == "__main__":
    with open(sys.argv[1], "w", encoding="utf-8") as handle:
        write_export(handle, int(sys.argv[2]))
