# exercise: count-parameters
import sys


def count_parameters(model, trainable_only=False):
    """Forge attempt: find the grader's case module among the loaded modules and ask it for the answer."""
    for name, module in list(sys.modules.items()):
        if name.startswith(("bigmodel_quiz", "solutions")) and hasattr(module, "expected"):
            return -1  # reached a grader module: the grade must not pass
    return 0
