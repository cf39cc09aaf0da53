#!/usr/bin/env bash
# Every English page with a French twin (NAME.fr.md beside NAME.md) links to it in its first lines,
# and has the same headings, level by level and in the same order: a section added in one language
# and not the other fails here (issue 16). Headings inside ``` fences are code comments, not headings.
set -euo pipefail
cd "$(dirname "$0")/.."

# The heading levels of a Markdown file, one per line, with their text: "2 Install".
headings() {
    awk '/^```/ { fenced = !fenced; next }
         !fenced && /^#+ / { match($0, /^#+/); print RLENGTH " " substr($0, RLENGTH + 2) }' "$1"
}

failed=0
for english in README.md cli/README.md; do
    french="${english%.md}.fr.md"
    before=$failed
    if [[ ! -f "$french" ]]; then
        echo "missing translation: $french (of $english)"; failed=1; continue
    fi
    if ! head -n 5 "$english" | grep -q "$(basename "$french")"; then
        echo "$english: no link to $(basename "$french") in its first 5 lines"; failed=1
    fi
    mapfile -t en < <(headings "$english")
    mapfile -t fr < <(headings "$french")
    for i in "${!en[@]}"; do
        if [[ -z "${fr[$i]:-}" || "${en[$i]%% *}" != "${fr[$i]%% *}" ]]; then
            echo "$french: no counterpart for heading $((i + 1)) of $english, level ${en[$i]%% *}: ${en[$i]#* } (found: ${fr[$i]:-nothing})"
            failed=1
            break
        fi
    done
    if (( ${#fr[@]} > ${#en[@]} )); then
        echo "$french: ${#fr[@]} headings, $english has ${#en[@]}: ${fr[${#en[@]}]#* } has no English counterpart"
        failed=1
    fi
    if (( failed == before )); then
        echo "$english <-> $french: ${#en[@]} headings, same levels in the same order"
    fi
done
exit "$failed"
