#!/usr/bin/env python3
"""Generate Vietnam administrative-unit reference data (units.csv, mapping.csv).

How to run (from the repository root):

    pip install vietnamadminunits==1.0.4 && python3 data/admin_units/generate.py

Source: the MIT-licensed PyPI package `vietnamadminunits` 1.0.4 (Tran Ngoc Minh
Hieu), see LICENSE-vietnamadminunits.txt.  The script only reads the data files
bundled with the installed package (it does not import the package and needs
no network):

  * data/dataset.db, table `admin_units_legacy` -> era `old` (63 provinces,
    valid until 2025-06-30): province -> district -> commune
  * data/dataset.db, table `admin_units`        -> era `new` (34 provinces,
    valid from 2025-07-01): province -> commune
  * data/converter_2025.json                    -> old -> new mapping

Output (next to this script, UTF-8, NFC, no BOM, LF line endings, sorted, so
repeated runs are byte-identical):

  units.csv    id,code,era,level,type,name,parent_id
  mapping.csv  old_id,new_id,primary

Rows of units.csv are ordered by era (old, new), then level (province,
district, commune), then code, so every parent precedes its children.
"""

import csv
import importlib.metadata
import importlib.util
import json
import os
import re
import sqlite3
import sys
import unicodedata
from collections import defaultdict

PACKAGE = "vietnamadminunits"
PACKAGE_VERSION = "1.0.4"
OUT_DIR = os.path.dirname(os.path.abspath(__file__))

# Longest first, so "Thành phố" wins over shorter prefixes.
UNIT_TYPES = ["Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã"]
LEVEL_RANK = {"province": 0, "district": 1, "commune": 2}
ERA_RANK = {"old": 0, "new": 1}

warnings = []


def warn(msg):
    if msg not in warnings:  # keep first-seen order, report each once
        warnings.append(msg)


def nfc(s):
    """NFC-normalise and collapse whitespace."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def split_type(full, column_type=None, context=""):
    """Split 'Thị xã Quế Võ' into ('Thị xã', 'Quế Võ').

    The type is taken from the prefix of the full official name (matched
    case-insensitively, returned in canonical case).  The package's separate
    type column is only cross-checked: it is wrong for a handful of rows
    (e.g. 'Phường 5' of Quận Phú Nhuận typed 'Xã'), while the full name
    agrees with the official lists.
    """
    full = nfc(full)
    for t in UNIT_TYPES:
        if full.lower().startswith(t.lower() + " "):
            name = full[len(t) + 1:].strip()
            if column_type is not None and nfc(column_type) != t:
                warn(f"type column says {column_type!r} but full name is {full!r} ({context}); using {t!r}")
            if full[: len(t)] != t:
                warn(f"non-canonical type case in {full!r} ({context}); using {t!r}")
            return t, name
    raise SystemExit(f"cannot split unit type from {full!r} ({context})")


def package_dir():
    try:
        version = importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        raise SystemExit(f"{PACKAGE} is not installed: pip install {PACKAGE}=={PACKAGE_VERSION}")
    if version != PACKAGE_VERSION:
        raise SystemExit(f"{PACKAGE} {version} installed, need {PACKAGE_VERSION}: pip install {PACKAGE}=={PACKAGE_VERSION}")
    spec = importlib.util.find_spec(PACKAGE)  # locate without importing
    return list(spec.submodule_search_locations)[0]


def add_unit(units, uid, row):
    if uid in units:
        if units[uid] != row:
            raise SystemExit(f"inconsistent data for {uid}: {units[uid]} vs {row}")
    else:
        units[uid] = row


def main():
    pkg = package_dir()
    db_path = os.path.join(pkg, "data", "dataset.db")
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row

    units = {}  # id -> dict(id, code, era, level, type, name, parent_id)
    old_key_to_id = {}  # "provinceKey_districtKey_wardKey" -> old commune id (district id when no ward)
    old_prov_key_to_id = {}
    new_prov_key_to_id = {}
    new_ward_key_to_id = {}  # (provinceKey, wardKey) -> new commune id

    # ---- old era (63 provinces) ----
    q = """SELECT province, provinceCode, provinceKey, district, districtType, districtCode, districtKey,
                  ward, wardType, wardCode, wardKey
           FROM admin_units_legacy"""
    for r in conn.execute(q):
        pcode, dcode = r["provinceCode"], r["districtCode"]
        assert re.fullmatch(r"\d{2}", pcode) and re.fullmatch(r"\d{3}", dcode), (pcode, dcode)
        pid, did = f"old-{pcode}", f"old-{dcode}"
        pt, pn = split_type(r["province"], None, pid)
        add_unit(units, pid, dict(id=pid, code=pcode, era="old", level="province", type=pt, name=pn, parent_id=""))
        dt, dn = split_type(r["district"], r["districtType"], did)
        add_unit(units, did, dict(id=did, code=dcode, era="old", level="district", type=dt, name=dn, parent_id=pid))
        if old_prov_key_to_id.setdefault(r["provinceKey"], pid) != pid:
            raise SystemExit(f"province key {r['provinceKey']} maps to two codes")
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        if r["ward"]:
            wcode = r["wardCode"]
            assert re.fullmatch(r"\d{5}", wcode), wcode
            wid = f"old-{wcode}"
            wt, wn = split_type(r["ward"], r["wardType"], wid)
            add_unit(units, wid, dict(id=wid, code=wcode, era="old", level="commune", type=wt, name=wn, parent_id=did))
            target = wid
        else:
            # Island districts without commune-level units (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo).
            target = did
        if key in old_key_to_id:
            raise SystemExit(f"duplicate legacy key {key}")
        old_key_to_id[key] = target

    # ---- new era (34 provinces) ----
    q = """SELECT province, provinceCode, provinceKey, ward, wardType, wardCode, wardKey FROM admin_units"""
    for r in conn.execute(q):
        pcode, wcode = r["provinceCode"], r["wardCode"]
        assert re.fullmatch(r"\d{2}", pcode) and re.fullmatch(r"\d{5}", wcode), (pcode, wcode)
        pid, wid = f"new-{pcode}", f"new-{wcode}"
        pt, pn = split_type(r["province"], None, pid)
        add_unit(units, pid, dict(id=pid, code=pcode, era="new", level="province", type=pt, name=pn, parent_id=""))
        wt, wn = split_type(r["ward"], r["wardType"], wid)
        add_unit(units, wid, dict(id=wid, code=wcode, era="new", level="commune", type=wt, name=wn, parent_id=pid))
        if new_prov_key_to_id.setdefault(r["provinceKey"], pid) != pid:
            raise SystemExit(f"province key {r['provinceKey']} maps to two codes")
        k = (r["provinceKey"], r["wardKey"])
        if k in new_ward_key_to_id:
            raise SystemExit(f"duplicate new key {k}")
        new_ward_key_to_id[k] = wid
    conn.close()

    # ---- old -> new mapping ----
    with open(os.path.join(pkg, "data", "converter_2025.json"), encoding="utf-8") as f:
        conv = json.load(f)

    mapping = defaultdict(dict)  # old_id -> {new_id: primary}

    def add_map(old_id, new_id, primary):
        if new_id in mapping[old_id]:
            raise SystemExit(f"duplicate mapping {old_id} -> {new_id}")
        mapping[old_id][new_id] = primary

    for new_pkey, old_pkeys in conv["DICT_PROVINCE"].items():
        for old_pkey in old_pkeys:
            add_map(old_prov_key_to_id[old_pkey], new_prov_key_to_id[new_pkey], 1)

    for new_pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            new_id = new_ward_key_to_id[(new_pkey, new_wkey)]
            for old_key in old_keys:
                add_map(old_key_to_id[old_key], new_id, 1)

    for new_pkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in olds.items():
            old_id = old_key_to_id[old_key]
            for t in targets:
                add_map(old_id, new_ward_key_to_id[(new_pkey, t["newWardKey"])], 1 if t["isDefaultNewWard"] else 0)

    # ---- invariants ----
    for uid, u in units.items():
        if u["era"] == "old" and u["level"] in ("province", "commune"):
            prim = [n for n, p in mapping.get(uid, {}).items() if p == 1]
            if len(prim) != 1:
                raise SystemExit(f"{uid} has {len(prim)} primary targets: {mapping.get(uid)}")
    for old_id, targets in mapping.items():
        assert units[old_id]["era"] == "old"
        for new_id in targets:
            assert units[new_id]["era"] == "new"
            assert units[new_id]["level"] == ("province" if units[old_id]["level"] == "province" else "commune")
    for u in units.values():
        for v in u.values():
            assert v == unicodedata.normalize("NFC", v)

    # ---- write ----
    def unit_sort_key(uid):
        u = units[uid]
        return (ERA_RANK[u["era"]], LEVEL_RANK[u["level"]], u["code"])

    cols = ["id", "code", "era", "level", "type", "name", "parent_id"]
    with open(os.path.join(OUT_DIR, "units.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for uid in sorted(units, key=unit_sort_key):
            w.writerow([units[uid][c] for c in cols])

    rows = []
    for old_id, targets in mapping.items():
        for new_id, primary in targets.items():
            rows.append((unit_sort_key(old_id), -primary, unit_sort_key(new_id), old_id, new_id, primary))
    rows.sort()
    with open(os.path.join(OUT_DIR, "mapping.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["old_id", "new_id", "primary"])
        for *_, old_id, new_id, primary in rows:
            w.writerow([old_id, new_id, primary])

    # ---- summary ----
    counts = defaultdict(int)
    for u in units.values():
        counts[(u["era"], u["level"])] += 1
    for (era, level), n in sorted(counts.items(), key=lambda x: (ERA_RANK[x[0][0]], LEVEL_RANK[x[0][1]])):
        print(f"units {era:3} {level:8} {n:6}")
    print(f"units.csv rows (excl. header): {len(units)}")
    print(f"mapping.csv rows (excl. header): {len(rows)}")
    for msg in warnings:
        print("note:", msg, file=sys.stderr)


if __name__ == "__main__":
    main()
