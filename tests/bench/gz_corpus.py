#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
"""gz_corpus.py - writes a deterministic tar stream of article-like Markdown files to stdout.

Usage: gz_corpus.py MEGABYTES [SEED]. The text is Zipf-distributed words (a vocabulary of common
English words plus the seed article's words plus syllable-made names), in sentences and
paragraphs with the same boilerplate header and citation block each article in a collection
carries, so it deflates about as well as real news text. Same arguments, same bytes.
"""
import io
import random
import sys
import tarfile

COMMON = """the of and to a in that is was he for it with as his on be at by i this had not are
but from or have an they which one you were her all she there would their we him been has when
who will more no if out so said what up its about into than them can only other new some could
time these two may then do first any my now such like our over man me even most made after also
did many before must through back years where much your way well down should because each just
those people mr how too little state good very make world still own see men work long get here
between both life being under never day same another know while last might us great old year off
come since against go came right used take three government officials country president minister
police report study researchers university said according percent million billion market company
economy security attack network data science climate energy water health hospital court election
military war peace talks statement spokesman spokeswoman agency foreign national international
city region area north south east west told added week month monday tuesday wednesday thursday
friday saturday sunday january february march april june july august september october november
december team found scientists new research species planet space earth ocean storm temperature
carbon emissions power oil gas prices trade bank rate growth jobs workers union strike protest
law bill vote party leader opposition parliament congress senate house white media film music
game players season club match win lost final cup record first second third nearly almost about
around more than less least most group members public private system program project plan policy
""".split()

SYL = "ka lo mi an ber to sun wei li chen ram ov ska ne ta mar ol in da ro su ki ha el ar is".split()


def make_vocab(rng, seed_text):
    words = list(COMMON)
    for w in seed_text.split():
        w = w.strip('.,;:"()[]#*<>!?').lower()
        if w.isalpha() and w not in words:
            words.append(w)
    names = set()
    while len(names) < 2500:
        n = "".join(rng.choice(SYL) for _ in range(rng.randint(2, 4)))
        names.add(n.capitalize())
    return words, sorted(names)


def paragraph(rng, vocab, cum):
    """One paragraph of 3 to 7 sentences of Zipf-weighted words, ending in a blank line."""
    sent = []
    for _ in range(rng.randint(3, 7)):
        w = rng.choices(vocab, cum_weights=cum, k=rng.randint(8, 24))
        s = " ".join(w)
        if rng.random() < 0.2:
            s = s.replace(" ", ", ", 1)
        sent.append(s[0].upper() + s[1:] + rng.choice(".....?"))
    return " ".join(sent) + "\n\n"


def main():
    mb = float(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    seed_text = ""
    if len(sys.argv) > 3:
        with open(sys.argv[3], encoding="utf-8") as f:
            seed_text = f.read()
    words, names = make_vocab(rng, seed_text)
    vocab = words + names
    weights = [1.0 / (r + 1) ** 1.07 for r in range(len(vocab))]
    rng.shuffle(names)
    cum = []
    acc = 0.0
    for w in weights:
        acc += w
        cum.append(acc)
    limit = int(mb * 1024 * 1024)
    out = tarfile.open(fileobj=sys.stdout.buffer, mode="w|", format=tarfile.USTAR_FORMAT)
    total = 0
    i = 0
    while total < limit:
        size = int(min(20000, max(2000, rng.lognormvariate(8.8, 0.5))))
        title_words = rng.choices(vocab, cum_weights=cum, k=rng.randint(5, 10))
        title = " ".join(title_words).capitalize()
        year = rng.randint(2008, 2023)
        month = rng.choice(COMMON[COMMON.index("january"):COMMON.index("december") + 1])
        day = rng.randint(1, 28)
        slug = "-".join(title_words[:6]).lower()
        parts = [f"# {title}\n\n{month.capitalize()} {day} {year}, by {rng.choice(names)} "
                 f"{rng.choice(names)}\n\n---\n\n"]
        body = 0
        while body < size:
            p = paragraph(rng, vocab, cum)
            parts.append(p)
            body += len(p)
        parts.append(f"© {year} AFP\n\nCitation: {title} ({year}, {month.capitalize()} {day})  \n"
                     f"retrieved 24 May 2024 from <https://phys.org/news/{year}-{slug}.html>\n\n"
                     "<p>This document is subject to copyright. Apart from any fair dealing for "
                     "the purpose of private study or research, no part may be reproduced without "
                     "the written permission. The content is provided for information purposes "
                     "only.</p>\n")
        data = "".join(parts).encode("utf-8")
        ti = tarfile.TarInfo(f"corpus/{i // 1000:03d}/{i:06d}-{slug[:60]}.md")
        ti.size = len(data)
        ti.mtime = 1700000000
        ti.mode = 0o644
        out.addfile(ti, io.BytesIO(data))
        total += len(data) + 512
        i += 1
    out.close()


if __name__ == "__main__":
    main()
