#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
"""make_corpus.py - deterministic article-like inputs for tests/bench/run.sh.

usage:
  make_corpus.py articles DIR N [SEED]   write N Markdown articles under DIR/<section>/<batch>/
  make_corpus.py bigfile DIR FILE BYTES  write FILE of exactly BYTES bytes of article text, made
                                         by re-ordering the paragraphs of DIR's articles, in
                                         64 MiB chunks

Articles are 2 to 20 KB (lognormal sizes, median about 6.6 KB) of Zipf-distributed English-like
words (gz_corpus.py's vocabulary and weights, so they deflate about as real news text does), laid
out like tests/fixtures/seed/china-condemns-cyber-terrorism.md: '# Title', a date line, '---',
body paragraphs, '(c) 2026 AGENCY', a 'Citation: TITLE (2026, Month D) retrieved D Month YYYY
from <https://example.org/news/...>' block with a slug unique to each article, and the copyright
<p> notice. Same arguments, same bytes.
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gz_corpus  # noqa: E402  (reused: vocabulary, name syllables and the paragraph maker)

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_ARTICLE = os.path.join(HERE, "..", "fixtures", "seed", "china-condemns-cyber-terrorism.md")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
SECTIONS = ["world", "science", "business", "health", "technology", "climate", "politics",
            "culture"]
AGENCIES = ["AFP", "Reuters", "AP", "dpa", "ANSA", "EFE", "Kyodo", "PA Media"]
NOTICE = ("<p>This document is subject to copyright. Apart from any fair dealing for the purpose "
          "of private study or research, no part may be reproduced without the written "
          "permission. The content is provided for information purposes only.</p>\n")
CHUNK = 64 * 1024 * 1024


def articles(root, n, seed):
    rng = random.Random(seed)
    seed_text = ""
    if os.path.exists(SEED_ARTICLE):
        with open(SEED_ARTICLE, encoding="utf-8") as f:
            seed_text = f.read()
    words, names = gz_corpus.make_vocab(rng, seed_text)
    vocab = words + names
    rng.shuffle(names)
    cum = []
    acc = 0.0
    for r in range(len(vocab)):
        acc += 1.0 / (r + 1) ** 1.07
        cum.append(acc)
    total = 0
    for i in range(n):
        size = int(min(20000, max(2000, rng.lognormvariate(8.8, 0.55))))
        title_words = rng.choices(vocab, cum_weights=cum, k=rng.randint(5, 10))
        title = " ".join(title_words).capitalize()
        month = rng.randrange(12)
        day = rng.randint(1, 28)
        agency = rng.choice(AGENCIES)
        section = SECTIONS[i % len(SECTIONS)]
        slug = "-".join(w.lower() for w in title_words[:6]) + f"-{i:06d}"
        head = (f"# {title}\n\n{MONTHS[month]} {day} 2026\n\n---\n\n")
        tail = (f"© 2026 {agency}\n\n"
                f"Citation: {title} (2026, {MONTHS[month]} {day})  \n"
                f"retrieved {min(day + 1, 28)} {MONTHS[month]} 2026 from "
                f"<https://example.org/news/2026-{month + 1:02d}-{slug}.html>\n\n" + NOTICE)
        parts = [head]
        body = len(head) + len(tail)
        while body < size:
            p = gz_corpus.paragraph(rng, vocab, cum)
            parts.append(p)
            body += len(p)
        parts.append(tail)
        data = "".join(parts).encode("utf-8")
        d = os.path.join(root, section, f"{i // 2000:02d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"{i:06d}-{slug[:50]}.md"), "wb") as f:
            f.write(data)
        total += len(data)
    return total


def bigfile(root, out, nbytes):
    paras = []
    have = 0
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        files.extend(os.path.join(dirpath, n) for n in filenames if n.endswith(".md"))
    for path in sorted(files):
        with open(path, "rb") as f:
            for p in f.read().split(b"\n\n"):
                if p:
                    paras.append(p + b"\n\n")
                    have += len(p) + 2
        if have >= CHUNK:
            break
    if not paras:
        sys.exit("make_corpus: no articles under " + root)
    rng = random.Random(4)
    left = nbytes
    with open(out, "wb") as f:
        while left > 0:
            rng.shuffle(paras)
            buf = b"".join(paras)
            while len(buf) < CHUNK:
                buf += buf
            buf = buf[:min(CHUNK, left)]
            f.write(buf)
            left -= len(buf)


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "articles":
        seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
        total = articles(sys.argv[2], int(sys.argv[3]), seed)
        print(f"make_corpus: {sys.argv[3]} articles, {total} bytes under {sys.argv[2]}",
              file=sys.stderr)
    elif len(sys.argv) == 5 and sys.argv[1] == "bigfile":
        bigfile(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
