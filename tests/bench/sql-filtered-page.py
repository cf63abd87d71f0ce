#!/usr/bin/python3
"""tests/bench/sql-filtered-page.py DIR: the filtered page's SQL alone, on a seeded database.

DIR is a data dir that `KEEP=DIR tests/bench/run-rosterd.sh` seeded (100,000 users). Runs the
statement rosterd builds for `userName sw "userNNNN" or displayName co "userNNNN"`, sortBy
displayName, count 50 (ids only, as when the render cache holds the JSON), 2,000 times with
random literals, in the shape rosterd used before session 8 (the page joined back to users
and sorted again) and the one it uses now (ids straight from the matches), each with SQLite's
default temp_store (a file) and with temp_store = MEMORY (what rosterd sets now). Prints the
CPU time per page, three rounds. Read-only: the database is opened with mode=ro.
"""
import random
import sqlite3
import sys
import time

WHERE = ("((u.user_name_folded >= ?1 AND u.user_name_folded < ?2) OR (u.rowid IN "
         "(SELECT row FROM user_substrings WHERE attribute = 2 AND substring >= ?3 AND "
         "substring < ?4 UNION ALL SELECT row FROM user_substrings WHERE attribute = 2 AND "
         "substring = '') AND instr(u.display_name_folded, ?5) > 0))")
MATCHED = ("WITH matched (rid, sort_key, id) AS MATERIALIZED (SELECT u.rowid, "
           "u.display_name_folded, u.id FROM users u WHERE %s) " % WHERE)
SHAPES = {
    "joined back (before)": MATCHED + "SELECT u.id, (SELECT count(*) FROM matched) FROM users u "
    "WHERE u.rowid IN (SELECT rid FROM matched ORDER BY sort_key ASC, id ASC LIMIT ?6 OFFSET ?7) "
    "ORDER BY u.display_name_folded ASC, u.id ASC",
    "from the matches (now)": MATCHED + "SELECT id, (SELECT count(*) FROM matched) FROM matched "
    "ORDER BY sort_key ASC, id ASC LIMIT ?6 OFFSET ?7",
}


def params(i):
    literal = "user%04d" % i
    bound = literal[:-1] + chr(ord(literal[-1]) + 1)
    return (literal, bound, literal, bound, literal, 50, 0)


def main():
    path = sys.argv[1] + "/roster.db"
    results = {}
    for temp_store in ("FILE", "MEMORY"):
        db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        db.execute("PRAGMA cache_size = -65536")
        db.execute("PRAGMA mmap_size = 1073741824")
        db.execute("PRAGMA temp_store = %s" % temp_store)
        pages = {name: db.execute(sql, params(123)).fetchall() for name, sql in SHAPES.items()}
        first = list(pages.values())[0]
        assert len(first) == 50 and all(p == first for p in pages.values()), "shapes disagree"
        for rnd in range(3):
            for name, sql in SHAPES.items():
                random.seed(rnd)
                start = time.process_time()
                for _ in range(2000):
                    db.execute(sql, params(random.randint(0, 999))).fetchall()
                per_page = (time.process_time() - start) / 2000 * 1000
                results.setdefault((name, temp_store), []).append(per_page)
        db.close()
    print("SQLite %s, %s" % (sqlite3.sqlite_version, path))
    print("| shape | temp_store | ms of CPU per page, three rounds |")
    print("|---|---|---|")
    for (name, temp_store), times in results.items():
        print("| %s | %s | %s |" % (name, temp_store, " / ".join("%.3f" % t for t in times)))


if __name__ == "__main__":
    main()
