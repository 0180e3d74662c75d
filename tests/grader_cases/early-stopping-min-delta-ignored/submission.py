# exercise: early-stopping
# Mistake: min_delta is accepted but never used.


def early_stopping(val_losses, patience, min_delta=0.0):
    if not val_losses or patience < 1:
        raise ValueError("need losses and patience >= 1")
    best, best_epoch, bad = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, bad = loss, epoch, 0
        else:
            bad += 1
            if bad == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1
