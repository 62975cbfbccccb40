#!/usr/bin/env python3
"""lib/script/src/python_names_table.hpp is what scripts/python_name_tables.py
makes from this Python's unicodedata: the tables the Python front end checks
names with are CPython 3.11's (Unicode 14.0.0).

    name_tables_test.py REPO

Skipped (exit 77) on a Python other than 3.11, whose Unicode tables differ.
"""
import os
import subprocess
import sys
import unicodedata

ROOT = sys.argv[1]
TABLE = os.path.join(ROOT, "lib", "script", "src", "python_names_table.hpp")
SCRIPT = os.path.join(ROOT, "scripts", "python_name_tables.py")

if sys.version_info[:2] != (3, 11):
    print(f"name_tables_test: CPython 3.11 needed (Unicode {unicodedata.unidata_version} here): "
          "skipped")
    sys.exit(77)
made = subprocess.run([sys.executable, SCRIPT], check=True, capture_output=True,
                      text=True).stdout
with open(TABLE, encoding="utf-8") as f:
    held = f.read()
if made != held:
    print(f"{TABLE} is not what {SCRIPT} makes: run it again "
          f"(python3.11 {SCRIPT} {TABLE})")
    sys.exit(1)
print(f"name_tables_test: the table is Unicode {unicodedata.unidata_version}'s, as generated")
