"""The multimodal bank's generators, each checked against an independent computation.

ViT token counts and patch-embedding parameters against a torch Conv2d with kernel = stride = P (its
output grid and numel); CLIP's logits memory against the bytes of an N×N float tensor and its
negatives against the off-diagonal of the similarity matrix; DDPM's ᾱ_t against a cumulative product of
a torch.linspace schedule (the way diffusion libraries build it) and a plain loop.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from generator_helpers import run, sample_tests

from bigmodel_quiz.bank.loader import load
from bigmodel_quiz.bank.templates import instantiate

try:
    import torch
except ImportError:  # pragma: no cover - exercised only without torch
    torch = None

NO_TORCH = "PyTorch is not installed: this check compares against torch modules and tensors"

SAMPLE = {
    "vit_tokens": dict(image=224, patch=16, channels=3, d_model=768, cls=1),
    "vit_patch_embed_params": dict(patch=16, channels=3, d_model=768),
    "clip_logits_gib": dict(batch=32768, bytes_per=4, embed_dim=512),
    "ddpm_alpha_bar": dict(t=500, T=1000),
}

test_every_multimodal_generator_has_a_sample, test_sample_call_matches_declared_params = sample_tests("gen_multimodal", SAMPLE)


# --- ViT: a Conv2d patch embedding -------------------------------------------------------------------


@pytest.mark.skipif(torch is None, reason=NO_TORCH)
@pytest.mark.parametrize(("image", "patch", "channels", "d"), [(224, 16, 3, 768), (224, 32, 3, 768), (336, 14, 3, 1024),
                                                              (384, 16, 3, 1024), (224, 14, 3, 1280), (64, 8, 1, 192)])
def test_vit_tokens_and_params_match_a_conv_patch_embedding(image: int, patch: int, channels: int, d: int) -> None:
    conv = torch.nn.Conv2d(channels, d, kernel_size=patch, stride=patch)
    with torch.no_grad():
        grid = conv(torch.zeros(1, channels, image, image))
    seq = grid.flatten(2).transpose(1, 2)  # (1, N, D), as ViT feeds the encoder
    cls_token = torch.zeros(1, 1, d)
    tokens = torch.cat([cls_token, seq], dim=1).shape[1]
    numel = sum(p.numel() for p in conv.parameters())
    for cls, expected in ((1, tokens), (0, seq.shape[1])):
        n, extra = run("vit_tokens", image=image, patch=patch, channels=channels, d_model=d, cls=cls)
        assert n == expected
        assert extra["patch_embed_params"] == numel
    params, _ = run("vit_patch_embed_params", patch=patch, channels=channels, d_model=d)
    assert params == numel


def test_vit_patch_embedding_is_the_linear_map_of_flattened_patches() -> None:
    # numpy: cut the image into patches, flatten, multiply by E of shape (P²·C, D)
    image, patch, channels, d = 32, 8, 3, 16
    x = np.zeros((image, image, channels))
    patches = x.reshape(image // patch, patch, image // patch, patch, channels).swapaxes(1, 2)
    flat = patches.reshape(-1, patch * patch * channels)
    weight = np.zeros((flat.shape[1], d))
    n, extra = run("vit_tokens", image=image, patch=patch, channels=channels, d_model=d, cls=1)
    assert n == flat.shape[0] + 1
    assert extra["patch_embed_params"] == weight.size + d


def test_vit_rejects_a_patch_that_does_not_divide_the_image() -> None:
    with pytest.raises(ValueError):
        run("vit_tokens", image=224, patch=15, channels=3, d_model=768, cls=1)


# --- CLIP: the N×N logits ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("batch", "dtype"), [(256, np.float32), (1024, np.float16), (2048, np.float32), (512, np.float64)])
def test_clip_logits_bytes_match_an_nxn_array(batch: int, dtype) -> None:
    d = 64
    rng = np.random.default_rng(0)
    img = rng.standard_normal((batch, d)).astype(dtype)
    txt = rng.standard_normal((batch, d)).astype(dtype)
    logits = img @ txt.T
    labels = np.arange(batch)
    off_diagonal_per_row = (np.arange(batch)[None, :] != labels[:, None]).sum(axis=1)
    gib, extra = run("clip_logits_gib", batch=batch, bytes_per=np.dtype(dtype).itemsize, embed_dim=d)
    assert gib * 2**30 == pytest.approx(logits.nbytes, rel=1e-12)
    assert extra["entries"] == logits.size
    assert set(off_diagonal_per_row) == {extra["negatives_per_image"]}
    assert extra["embeddings_mib"] * 2**20 == pytest.approx(img.nbytes)


def test_clip_full_batch_is_four_gib_in_float32() -> None:
    gib, extra = run("clip_logits_gib", batch=32768, bytes_per=4, embed_dim=512)
    assert gib == 4.0 and extra["entries"] == 2**30


# --- DDPM: ᾱ_t of the linear schedule ---------------------------------------------------------------------


def _loop_alpha_bar(t: int, T: int) -> float:
    abar = 1.0
    for s in range(1, t + 1):
        beta = 1e-4 + (0.02 - 1e-4) * (s - 1) / (T - 1)
        abar *= 1 - beta
    return abar


@pytest.mark.parametrize("t", [1, 2, 10, 100, 250, 500, 750, 999, 1000])
def test_alpha_bar_matches_a_cumulative_product_loop(t: int) -> None:
    abar, extra = run("ddpm_alpha_bar", t=t, T=1000)
    assert abar == pytest.approx(_loop_alpha_bar(t, 1000), rel=1e-9)
    assert extra["signal_coef"] ** 2 + extra["noise_coef"] ** 2 == pytest.approx(1.0)


@pytest.mark.skipif(torch is None, reason=NO_TORCH)
@pytest.mark.parametrize("T", [1000, 500, 4000])
def test_alpha_bar_matches_torch_linspace_cumprod(T: int) -> None:
    betas = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
    alphas_cumprod = torch.cumprod(1 - betas, dim=0)
    for t in (1, T // 4, T // 2, T):
        abar, extra = run("ddpm_alpha_bar", t=t, T=T)
        assert abar == pytest.approx(alphas_cumprod[t - 1].item(), rel=1e-9)
        assert extra["beta_t"] == pytest.approx(betas[t - 1].item(), rel=1e-12)


def test_alpha_bar_end_of_ddpm_schedule_is_nearly_pure_noise() -> None:
    abar, extra = run("ddpm_alpha_bar", t=1000, T=1000)
    assert abar == pytest.approx(4.04e-5, rel=0.01)
    assert extra["sum_beta"] == pytest.approx(1000 * (1e-4 + 0.02) / 2)
    assert math.isclose(extra["signal_coef"], 0.00635, rel_tol=0.01)


def test_alpha_bar_rejects_a_step_past_the_end() -> None:
    with pytest.raises(ValueError):
        run("ddpm_alpha_bar", t=1001, T=1000)


# --- The shipped templates ----------------------------------------------------------------------------


def test_multimodal_templates_use_these_generators_and_instantiate() -> None:
    bank, problems = load()
    assert [str(p) for p in problems] == []
    mine = [t for t in bank.templates if t.topic == "multimodal"]
    assert len(mine) >= 2
    assert {t.generator for t in mine} <= set(SAMPLE)
    for t in mine:
        for seed in range(20):
            q = instantiate(t, seed)
            assert q.answer > 0, (t.id, seed)
