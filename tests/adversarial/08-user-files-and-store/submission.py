# exercise: mlp-param-count
# Mark every exercise passed in the progress store, read the user's private files, write into $HOME.
import glob
import os
import sqlite3

for path in glob.glob("@STORE@/*") + ["@STORE@/progress.db"]:
    try:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE IF NOT EXISTS grades (exercise TEXT, status TEXT)")
        db.execute("INSERT INTO grades VALUES ('mlp-param-count', 'passed')")
        db.commit()
        print("ESCAPED: wrote the store", path)
    except Exception:
        pass
for path in ["@HOME@/private.txt"] + glob.glob("/root/*") + glob.glob("/home/*/*"):
    try:
        with open(path) as f:
            text = f.read(200)
        print("ESCAPED: read", path, text if "private" in path else "")
    except OSError:
        pass
try:
    with open("@HOME@/planted.txt", "w") as f:
        f.write("x")
    print("ESCAPED: wrote into the home")
except OSError:
    pass


def count_mlp_params(layer_sizes, bias=True):
    return 1
