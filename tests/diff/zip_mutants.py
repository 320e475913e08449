"""zip_mutants.py - structure-level mutations of a zip, for run.py.

mutate(raw, rng) returns (mutant bytes, a description).
"""


def mutate(raw, rng):
    b = bytearray(raw)
    # central directory and local headers start with PK\1\2 / PK\3\4: hit a byte near one
    sigs = [i for i in range(len(b) - 4) if b[i:i + 2] == b"PK" and b[i + 2] in (1, 3, 5)]
    at = rng.choice(sigs) + rng.randrange(46)
    at = min(at, len(b) - 1)
    b[at] = rng.randrange(256)
    return bytes(b), "byte %d" % at
