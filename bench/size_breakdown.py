#!/usr/bin/env python3
"""Where the bytes of a native library go, by crate (issue 13: the mobile library "< 3 MB, with a
size breakdown").

    bench/size_breakdown.py LIBRARY [--top N] [--json]

LIBRARY must still have its symbol table (`bindings-mobile/test.sh` builds the library unstripped,
`CARGO_PROFILE_RELEASE_MOBILE_STRIP=false`, and strips a copy to ship). Each defined symbol's size
(`nm --print-size`, demangled) is filed under its crate: the first path segment of the demangled
name, `<reqwest::Client as ...>` under reqwest; C and assembly symbols under the library they come
from by prefix (ring's are `ring_core_*`). With LTO and inlining, a function's bytes are filed under
the crate whose function survived, as cargo-bloat does: read it as "where to look", not as an exact
account. What no symbol covers (headers, tables, padding) is shown as such.
"""

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

# Symbols with no Rust path: their library, by prefix. The only C and assembly linked in is ring's
# (libc is linked dynamically), so the rest of them are filed there.
PLAIN_PREFIXES = [("UNIFFI_", "uniffi (metadata, C ABI)"), ("ffi_", "uniffi (metadata, C ABI)"),
                  ("uniffi_", "uniffi (metadata, C ABI)"), ("__rust", "std"), ("rust_", "std")]
C_LIBRARY = "ring (C and assembly)"


def crate_of(name):
    """The crate a demangled symbol belongs to: the first path segment in it (`<T as
    http::Trait>::f` under http, `<f64 as core::str::FromStr>` under std)."""
    for prefix, crate in PLAIN_PREFIXES:
        if name.startswith(prefix):
            return crate
    match = re.search(r"([A-Za-z_][A-Za-z0-9_]*)::", name)
    if match:
        crate = match.group(1)
        return {"core": "std", "alloc": "std"}.get(crate, crate)
    return C_LIBRARY


def breakdown(library):
    listing = subprocess.run(["nm", "--print-size", "--size-sort", "--demangle", "--defined-only", library],
                             capture_output=True, text=True, check=True).stdout
    by_crate = Counter()
    for line in listing.splitlines():
        parts = line.split(" ", 3)
        if len(parts) < 4 or parts[2].lower() not in "tdrb":
            continue
        if parts[2].lower() == "b":  # .bss takes no room in the file
            continue
        by_crate[crate_of(parts[3])] += int(parts[1], 16)
    return strip_size(library), by_crate, sections(library)


def sections(library):
    """The sizes of the sections a stripped library keeps, the ones no symbol covers named."""
    listing = subprocess.run(["size", "-A", library], capture_output=True, text=True, check=True).stdout
    kept = Counter()
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].startswith(".") and not parts[0].startswith((".debug", ".comment")):
            kept[parts[0]] += int(parts[1])
    return kept


def strip_size(library):
    """The size the shipped (stripped) library has."""
    out = Path("/tmp") / (Path(library).name + ".stripped-for-breakdown")
    subprocess.run(["strip", "-o", str(out), library], check=True)
    size = out.stat().st_size
    out.unlink()
    return size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    stripped, by_crate, kept = breakdown(args.library)
    symbols = sum(by_crate.values())
    if symbols == 0:
        sys.exit(f"{args.library}: no symbols (stripped?): build it with CARGO_PROFILE_RELEASE_MOBILE_STRIP=false")
    rows = by_crate.most_common()
    if args.json:
        print(json.dumps({"library": args.library, "stripped_bytes": stripped, "symbol_bytes": symbols,
                          "by_crate": dict(rows), "sections": dict(kept.most_common())}))
        return
    print(f"{args.library}: {stripped:,} bytes stripped; code and data of its symbols {symbols:,} bytes "
          f"({symbols / stripped:.0%}), by crate:")
    for crate, size in rows[:args.top]:
        print(f"  {crate:<32}{size:>11,}  {size / stripped:6.1%}")
    rest = rows[args.top:]
    if rest:
        print(f"  {f'{len(rest)} other crates':<32}{sum(s for _, s in rest):>11,}  "
              f"{sum(s for _, s in rest) / stripped:6.1%}")
    print(f"  {'(no symbol: see the sections)':<32}{stripped - symbols:>11,}  "
          f"{(stripped - symbols) / stripped:6.1%}")
    print("by section (.eh_frame, .eh_frame_hdr, .gcc_except_table: unwinding tables, kept because "
          "panics are caught at the FFI boundary; .rela.dyn: relocations; .rodata: constants and strings):")
    for section, size in kept.most_common(8):
        print(f"  {section:<32}{size:>11,}  {size / stripped:6.1%}")


if __name__ == "__main__":
    main()
