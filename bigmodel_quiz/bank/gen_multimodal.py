"""Answer generators of the multimodal bank's parametric templates (registered on import)."""

from __future__ import annotations

import math

from bigmodel_quiz.bank.generators import POS, generator

GiB = 2**30


@generator("vit_tokens", extras=("per_side", "patches", "inputs_per_patch", "patch_embed_params"),
           image=POS, patch=POS, channels=POS, d_model=POS, cls=(0, 1))
def vit_tokens(image: int, patch: int, channels: int, d_model: int, cls: int) -> tuple[int, dict]:
    """Tokens a ViT encoder sees for a square image: (H/P)·(W/P) patches plus an optional [class] token.

    Dosovitskiy et al. 2021, §3.1, Eq. 1: N = HW/P². The patch embedding is a linear map of the P²·C
    values of a patch to D dimensions, with a bias: P²·C·D + D parameters.
    """
    if image % patch:
        raise ValueError(f"the patch size {patch} must divide the image size {image}")
    if cls not in (0, 1):
        raise ValueError(f"cls must be 0 or 1, not {cls}")
    side = image // patch
    inputs = patch * patch * channels
    return side * side + cls, {"per_side": side, "patches": side * side, "inputs_per_patch": inputs,
                               "patch_embed_params": inputs * d_model + d_model}


@generator("vit_patch_embed_params", extras=("inputs_per_patch", "weights"), patch=POS, channels=POS, d_model=POS)
def vit_patch_embed_params(patch: int, channels: int, d_model: int) -> tuple[int, dict]:
    """Parameters of ViT's patch embedding E ∈ R^((P²·C)×D) plus its bias (a Conv2d with kernel = stride = P)."""
    inputs = patch * patch * channels
    return inputs * d_model + d_model, {"inputs_per_patch": inputs, "weights": inputs * d_model}


@generator("clip_logits_gib", extras=("entries", "negatives_per_image", "embeddings_mib"),
           batch=POS, bytes_per=(1, 8), embed_dim=POS)
def clip_logits_gib(batch: int, bytes_per: int, embed_dim: int) -> tuple[float, dict]:
    """Memory of CLIP's full N×N logits matrix for a batch of N pairs, in GiB (Radford et al. 2021, Fig. 3).

    Each image has one matching text and N − 1 in-batch negatives. ``embeddings_mib`` is one modality's
    N×d embedding matrix in the same precision, for comparison.
    """
    entries = batch * batch
    return entries * bytes_per / GiB, {"entries": entries, "negatives_per_image": batch - 1,
                                       "embeddings_mib": batch * embed_dim * bytes_per / 2**20}


def linear_betas(T: int, beta_start: float = 1e-4, beta_end: float = 0.02) -> list[float]:
    """DDPM's linear variance schedule β_1..β_T from β_1 = 1e-4 to β_T = 0.02 (Ho et al. 2020, §4)."""
    if T == 1:
        return [beta_start]
    return [beta_start + (beta_end - beta_start) * i / (T - 1) for i in range(T)]


@generator("ddpm_alpha_bar", extras=("signal_coef", "noise_coef", "beta_t", "sum_beta"), t=POS, T=(2, None))
def ddpm_alpha_bar(t: int, T: int) -> tuple[float, dict]:
    """ᾱ_t = Π_{s=1..t} (1 − β_s) under DDPM's linear schedule; x_t = √ᾱ_t·x_0 + √(1 − ᾱ_t)·ε (Eq. 4)."""
    if t > T:
        raise ValueError(f"t = {t} is past the last step T = {T}")
    betas = linear_betas(T)[:t]
    log_abar = sum(math.log1p(-b) for b in betas)
    abar = math.exp(log_abar)
    return abar, {"signal_coef": math.sqrt(abar), "noise_coef": math.sqrt(1 - abar), "beta_t": betas[-1],
                  "sum_beta": sum(betas)}
