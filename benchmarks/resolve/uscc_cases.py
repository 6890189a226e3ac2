"""Codes as lists write them, for checking warehouse.codes against python-stdnum.

`generate_codes(n, seed)` draws valid USCCs and the ways they get damaged or disguised: one
character replaced, a wrong check character, two characters swapped, lower case, the letters
O/I/S/V/Z (not in the alphabet) for 0/1/5/U/2, full-width characters, spaces, tabs, ideographic
and zero-width spaces, dashes of every kind stdnum knows, 17/19 characters, 15-digit 注册号,
9-character organisation codes, Chinese text, empty values and None. `python -m
benchmarks.resolve.uscc_cases --size 1000000` compares the bulk check with stdnum on all of them.
"""

from __future__ import annotations

import argparse
import os
import random
import time

import numpy as np
from stdnum.cn import uscc as stdnum_uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
DIVISIONS = ("110108", "330106", "440305", "530100", "310115", "510107", "999999", "000000")
SPACES = (" ", "\t", "\u3000", "\u200b", "\ufeff", "\u00a0", "\n")
DASHES = ("-", "\u2010", "\u2013", "\u2014", "\u2212", "\uff0d", "\u00af", "\u2011", "\ufe63", "_", "/")
LOOKALIKE = {"0": "O", "1": "I", "5": "S", "U": "V", "2": "Z"}
FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
MATH_DIGITS = {str(d): chr(0x1D7CE + d) for d in range(10)}  # 𝟎..𝟗: NFKC folds them


def valid_code(rng: random.Random) -> str:
    body = rng.choice("1598NY") + rng.choice("1239") + rng.choice(DIVISIONS) + "".join(rng.choices(ALPHABET, k=9))
    return body + stdnum_uscc.calc_check_digit(body)


def _replace(code: str, i: int, char: str) -> str:
    return code[:i] + char + code[i + 1:]


def damage(code: str, rng: random.Random) -> str:
    """One way a list writes (or breaks) a code; about a third stay valid once cleaned."""
    kind = rng.randrange(20)
    n = len(code)
    i = rng.randrange(n)
    if kind == 0:  # as issued
        return code
    if kind == 1:  # one character replaced by another alphabet character
        return _replace(code, i, ALPHABET[rng.randrange(31)])
    if kind == 2:  # wrong check character
        return code[:-1] + rng.choice([c for c in ALPHABET if c != code[-1]])
    if kind == 3:  # two neighbours swapped
        j = min(i, n - 2)
        return code[:j] + code[j + 1] + code[j] + code[j + 2:]
    if kind == 4:  # lower case
        return code.lower() if rng.random() < 0.5 else _replace(code, i, code[i].lower())
    if kind == 5:  # O/I/S/V/Z written for 0/1/5/U/2
        spots = [k for k, c in enumerate(code) if c in LOOKALIKE] or [i]
        k = rng.choice(spots)
        return _replace(code, k, LOOKALIKE.get(code[k], "O"))
    if kind == 6:  # spaces of every kind, inside or around
        space = rng.choice(SPACES)
        return code[:i] + space + code[i:] if rng.random() < 0.7 else space + code + space
    if kind == 7:  # dashes and other separators
        dash = rng.choice(DASHES)
        return code[:i] + dash + code[i:]
    if kind == 8:  # full-width letters and digits
        return "".join(FULLWIDTH.get(c, c) if rng.random() < 0.5 else c for c in code)
    if kind == 9:  # mathematical digits (NFKC folds them)
        return "".join(MATH_DIGITS.get(c, c) for c in code)
    if kind == 10:  # a character lost or doubled
        return code[:i] + code[i + 1:] if rng.random() < 0.5 else code[:i] + code[i] + code[i:]
    if kind == 11:  # 15-digit 注册号
        return "".join(rng.choices("0123456789", k=15))
    if kind == 12:  # organisation code, with or without its dash
        org = "".join(rng.choices(ALPHABET, k=8)) + rng.choice("0123456789X")
        return org[:8] + "-" + org[8] if rng.random() < 0.5 else org
    if kind == 13:  # text where a code should be
        return ("无", "暂无", "/", "N/A", "统一社会信用代码：" + code, "None", "0")[rng.randrange(7)]
    if kind == 14:
        return ""
    if kind == 15:  # a letter in the first eight (digits only there)
        return _replace(code, rng.randrange(8), ALPHABET[10 + rng.randrange(21)])
    if kind == 16:  # random 18 characters from a wider alphabet
        wide = ALPHABET + "IOSVZ"
        return "".join(rng.choices(wide, k=18))
    if kind == 17:  # a non-ASCII character inside
        return _replace(code, i, rng.choice("〇一Ｏ号é"))
    if kind == 18:  # valid with clutter that cleaning removes
        return " " + code.lower() + "\u200b"
    return code + ("", " ", "\t")[rng.randrange(3)]


def generate_codes(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    return [damage(valid_code(rng), rng) for _ in range(n)]


def corner_cases() -> list:
    """Hand-picked values: every one must get stdnum's verdict."""
    base = "91110000600037341L"  # stdnum's own example
    return [
        base, base.lower(), " " + base + " ", base[:8] + "-" + base[8:], "9 1 110000 600037341L",
        base[:-1] + "M", base[:-1], base + "0", "91110000600037341", "", None, float("nan"),
        "A1110000600037341L", "9111000060003734IL", "91110000600037341l\n", "\u3000" + base,
        "".join(chr(ord(c) + 0xFEE0) for c in base), base.replace("0", "O"), "000000000000000000",
        "91110000600037341" + "Ｌ", "91110000600037341\u2212L", "9111000060003734\u00af1L",
        "330100000012345", "74901211-8", "749012118", "12345", "统一社会信用代码", base + base,
        "91110000600037341L\u200b", "\ufeff" + base, "9111000060003734\n1L", "9111-0000-6000-3734-1L",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description="bulk USCC check vs python-stdnum")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    from warehouse.codes import clean_code, parse_codes

    codes = generate_codes(args.size, args.seed) + corner_cases()
    parse_codes(codes[:10])  # imports out of the timing
    start, cpu = time.perf_counter(), time.process_time()
    cols = parse_codes(codes)
    bulk, bulk_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    oracle = np.array([stdnum_uscc.is_valid(clean_code(c)) for c in codes], dtype=bool)
    slow, slow_cpu = time.perf_counter() - start, time.process_time() - cpu
    differ = np.flatnonzero(cols.valid != oracle)
    print(f"{len(codes):,} codes, {int(oracle.sum()):,} valid: bulk {bulk:.2f} s wall ({bulk_cpu:.2f} s CPU), "
          f"stdnum after clean_code {slow:.2f} s wall ({slow_cpu:.2f} s CPU), load {os.getloadavg()[0]:.1f}, "
          f"{len(differ)} verdicts differ" + (f" e.g. {[codes[i] for i in differ[:5]]}" if len(differ) else ""))
    raise SystemExit(1 if len(differ) else 0)


if __name__ == "__main__":
    main()
