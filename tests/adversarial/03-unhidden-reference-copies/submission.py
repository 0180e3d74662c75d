# exercise: mlp-param-count
# The reference from any copy: the checkout's solutions/ and build/, the installed package, pip's caches.
import glob
import os

PATTERNS = [
    "@CHECKOUT@/solutions/mlp_param_count.py", "@CHECKOUT@/build/**/mlp_param_count.py",
    "@CHECKOUT@/*/mlp_param_count.py", "@CHECKOUT@/*/*/*/mlp_param_count.py", "@PACKAGE@/data/solutions/mlp_param_count.py",
    "@HOME@/.cache/**/mlp_param_count.py", "/root/.cache/pip/**/*.whl", "/*/solutions/mlp_param_count.py",
    "/*/*/solutions/mlp_param_count.py", "/tmp/**/mlp_param_count.py",
]


def _steal():
    for pattern in PATTERNS:
        for path in glob.glob(pattern, recursive=True)[:50]:
            if not path.endswith(".py"):
                continue
            try:
                namespace = {}
                exec(open(path).read(), namespace)
                print("ESCAPED: read", path)
                return namespace["count_mlp_params"]
            except Exception:
                continue
    return None


STOLEN = _steal()


def count_mlp_params(layer_sizes, bias=True):
    return STOLEN(layer_sizes, bias) if STOLEN else 0
