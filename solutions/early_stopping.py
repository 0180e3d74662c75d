"""Reference: when patience-based early stopping would stop, and which epoch it would keep."""


def early_stopping(val_losses, patience, min_delta=0.0):
    """Return (best_epoch, stop_epoch), both 0-based."""
    if len(val_losses) == 0:
        raise ValueError("val_losses is empty")
    if patience < 1:
        raise ValueError(f"patience must be >= 1, got {patience}")
    best = float("inf")
    best_epoch = 0
    bad_epochs = 0
    for epoch, loss in enumerate(val_losses):
        if loss < best - min_delta:
            best, best_epoch, bad_epochs = loss, epoch, 0
        else:
            bad_epochs += 1
            if bad_epochs == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1
