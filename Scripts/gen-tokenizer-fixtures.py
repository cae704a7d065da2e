#!/usr/bin/env python3
"""Writes Tests/Fixtures/tokenizer/clip-prompts-extra.json: tricky prompts with the ids that
transformers' CLIPTokenizer gives for the tiny-sd1 (pad <|endoftext|>) and tiny-sd2 (pad "!")
tokenizer folders. Run once in a venv with transformers; the Swift tests only read the JSON."""
import json
import random
import sys
from pathlib import Path

from transformers import CLIPTokenizer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "Fixtures"

FRAGMENTS = [
    "a cat", "An Astronaut", "don't", "IT'S", "we'RE", "'ll", "''s", "!'s", "wow!!", "hi!", "?!",
    "<|endoftext|>", "<|startoftext|>", "<|ENDOFTEXT|>", "<|endoftext", "!", "!!!", "東京", "夜景の",
    "한국어", "Ünïcödé", "e\u0301", "ΣΑΣ", "İstanbul", "ǅ", "ß", "ﬁ", "ｆｕｌｌ", "🐱🚀", "👩‍👩‍👧",
    "\t", "\n", "\u00a0", "\u2028", "\u3000", "\x00", "\x07", "\u200b", "\ufeff", "\ufffd", "\x1c",
    "3.14159", "1960s", "٣٤", "Ⅻ", "½", "(((x)))", "[[best]]", "f/1.8", "a_b", "C++", "#tag", "@me",
    "https://x.org/?q=1", "—", "“q”", "&amp;", "  ", " ", "ſ", "K", "x" * 40, "supercalifragilistic",
]


def prompts(rng: random.Random) -> list[str]:
    out = ["", " ", "!", "<|endoftext|>", "a " * 80, "!" * 90]
    for _ in range(300):
        count = rng.randint(1, 8)
        parts = [rng.choice(FRAGMENTS) for _ in range(count)]
        joiners = [rng.choice(["", " ", "  ", ",", "\n"]) for _ in range(count)]
        out.append("".join(p + j for p, j in zip(parts, joiners)))
    return out


def main() -> None:
    rng = random.Random(20261126)
    texts = prompts(rng)
    result = {}
    for name in ("tiny-sd1", "tiny-sd2"):
        tokenizer = CLIPTokenizer.from_pretrained(str(FIXTURES / name / "tokenizer"))
        cases = []
        for text in texts:
            ids = tokenizer(text, add_special_tokens=False).input_ids
            input_ids = tokenizer(text, padding="max_length", max_length=77, truncation=True).input_ids
            cases.append({"prompt": text, "ids": ids, "input_ids": input_ids})
        result[name] = cases
    target = FIXTURES / "tokenizer" / "clip-prompts-extra.json"
    target.write_text(json.dumps(result, ensure_ascii=True) + "\n")
    print(f"wrote {len(texts)} prompts x {len(result)} tokenizers to {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
