#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# The man page matches the program: for each verb, the long options its --help lists are the
# long options the man page's section for that verb names, no more and no fewer (an option
# added to the code without the man page, or left in the man page after it went, fails here);
# the SYNOPSIS has a line for each usage line of each --help.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

MAN=$ARTBAG_SRC/doc/artbag.1
[ -r "$MAN" ] || fail "no man page at '$MAN'"

# Long options named in text: --word-word, as the help prints them.
longopts() { grep -o -- '--[a-z][a-z0-9-]*' | sed 's/-$//' | LC_ALL=C sort -u; }
# The roff of one verb's section (.SS "artbag VERB ..." to the next .SS or .SH), unescaped.
man_section() {
    awk -v verb="$1" '
        /^\.S[SH] / { on = ($0 ~ "^\\.SS \"artbag " verb "[ \"]") }
        on' "$MAN" | sed 's/\\-/-/g; s/\\f[BIRP]//g'
}

bad=0
for verb in pack verify unpack show keygen sign audit help; do
    "$ARTBAG" "$verb" --help >help.txt || fail "'artbag $verb --help' failed"
    longopts <help.txt >help.opts
    man_section "$verb" >man.txt
    [ -s man.txt ] || fail "the man page has no section for '$verb'"
    longopts <man.txt >man.opts
    if ! diff -u help.opts man.opts >diff.txt; then
        echo "$verb: options in --help (-) and in the man page (+) differ:" >&2
        grep -E '^[-+]--[a-z]' diff.txt >&2
        bad=1
    fi
    # every usage line of --help is a SYNOPSIS entry, word for word
    sed -n 's/^\(usage:\|      \) *artbag /artbag /p' help.txt >>usage.txt
done
"$PY" - "$MAN" usage.txt <<'PY' || bad=1
import re, sys
man = open(sys.argv[1], encoding="utf-8").read()
syn = man.split(".SH SYNOPSIS", 1)[1].split("\n.SH ", 1)[0]
entries = set()
for block in re.findall(r"^\.SY (.*?)^\.YS", syn, re.S | re.M):
    words = []
    for line in block.splitlines():
        line = re.sub(r"^\.(B|I|RI|RB|IR|BR|BI|IB)\s+", "", line)
        words.append(line.replace('"', "").replace("\\-", "-").replace("\\fI", "").replace("\\fP", ""))
    entries.add("".join("".join(words).split()))
missing = 0
for line in open(sys.argv[2], encoding="utf-8"):
    if "".join(line.split()) not in entries:
        print("SYNOPSIS lacks: " + line.strip(), file=sys.stderr)
        missing = 1
sys.exit(missing)
PY
[ "$bad" -eq 0 ] || fail "the man page and --help disagree (above)"

note "no BUGS entry the program has outgrown"
bugs=$(awk '/^\.SH BUGS/{on=1; next} /^\.SH /{on=0} on' "$MAN" | sed 's/\\-/-/g; s/\\f[BIRP]//g')
case $bugs in
*"one article per bundle"*) fail "BUGS says pack takes one article per bundle; collections exist" ;;
esac
true
