#!/usr/bin/env python
"""Fill a gettext catalogue from a JSON mapping {msgid: msgstr}.

    python scripts/po_fill.py PO --list          # untranslated msgids, as JSON
    python scripts/po_fill.py PO --apply map.json # fill them (and recompile with `make messages`)
"""
import argparse
import json
import sys

import polib


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("po")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--apply")
    args = parser.parse_args()
    po = polib.pofile(args.po)
    if args.list:
        json.dump({e.msgid: "" for e in po.untranslated_entries()}, sys.stdout, ensure_ascii=False, indent=1)
        return
    mapping = json.load(open(args.apply, encoding="utf-8"))
    filled = 0
    for entry in po:
        if entry.msgid in mapping and mapping[entry.msgid]:
            value = mapping[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
    po.save(args.po)
    print(f"{filled} filled, {len(po.untranslated_entries())} left")


if __name__ == "__main__":
    main()
