"""The fused encoder, tensor for tensor as the Swift loader (Sources/FusedEncoder) expects it.

Layout conventions shared with Swift:
  * volumes are tensors [batch, 1, X, Y, Z] (NIfTI i, j, k axes; k fastest in memory);
  * modality order is (t1, fa, clinical); absent modalities are masked out of the attention;
  * batch norm is stored unfused (PyTorch names); Swift folds it into the convolutions at load.
"""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MODALITIES = ("t1", "fa", "clinical")
CLINICAL_FEATURES = ("ADAS11", "ADAS13", "MMSE", "MOCA")
# APOE genotype index: 0 = unknown, then 2/2, 2/3, 2/4, 3/3, 3/4, 4/4.
APOE_GENOTYPES = ("unknown", "2/2", "2/3", "2/4", "3/3", "3/4", "4/4")
HEADS = {"dx3": 3, "dx_binary": 2, "sex": 2, "age": 1, "cdrsb": 1}


def default_config(**overrides):
    config = {
        "architecture": "MemoirFusedEncoder",
        "format_version": 1,
        "input_shape": [91, 109, 91],
        "input_pool": 1,          # average-pool the volume by this factor before conv1 (1 = full resolution)
        "width": 64,              # channels of the first stage; stages use w, 2w, 4w, 8w
        "blocks": [2, 2, 2, 2],   # ResNet-18
        "embed_dim": 512,
        "attention_heads": 8,
        "clinical_features": list(CLINICAL_FEATURES),
        "clinical_mean": [10.0, 17.0, 26.0, 23.0],
        "clinical_std": [6.0, 9.0, 4.5, 4.5],
        "clinical_hidden": 256,
        "apoe_dim": 16,
        "head_hidden": 256,
        "age_mean": 78.0, "age_std": 7.5,
        "cdrsb_mean": 2.5, "cdrsb_std": 3.0,
        "layer_norm_eps": 1e-5,
        "batch_norm_eps": 1e-5,
        "t1_normalization": "zscore_nonzero",
        "fa_normalization": "none",
    }
    config.update(overrides)
    return config


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride, eps):
        super().__init__()
        self.conv1 = nn.Conv3d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm3d(cout, eps=eps)
        self.conv2 = nn.Conv3d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm3d(cout, eps=eps)
        self.downsample = None
        if stride != 1 or cin != cout:  # MONAI shortcut type B: 1x1x1 conv + BN
            self.downsample = nn.Sequential()
            self.downsample.add_module("conv", nn.Conv3d(cin, cout, 1, stride, bias=False))
            self.downsample.add_module("bn", nn.BatchNorm3d(cout, eps=eps))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


class ResNet3D(nn.Module):
    """MONAI-style 3-D ResNet-18 (conv1 7^3 stride 2, max-pool 3/2, basic blocks), projected to embed_dim."""

    def __init__(self, c):
        super().__init__()
        w, eps = c["width"], c["batch_norm_eps"]
        self.input_pool = c["input_pool"]
        self.stem = nn.Sequential()
        self.stem.add_module("conv", nn.Conv3d(1, w, 7, 2, 3, bias=False))
        self.stem.add_module("bn", nn.BatchNorm3d(w, eps=eps))
        layers, cin = [], w
        for i, n in enumerate(c["blocks"]):
            cout, stride = w * 2 ** i, 1 if i == 0 else 2
            blocks = [BasicBlock(cin, cout, stride, eps)] + [BasicBlock(cout, cout, 1, eps) for _ in range(n - 1)]
            layers.append(nn.Sequential(*blocks))
            cin = cout
        self.layers = nn.ModuleList(layers)
        self.proj = nn.Linear(cin, c["embed_dim"])
        self.norm = nn.LayerNorm(c["embed_dim"], eps=c["layer_norm_eps"])

    def features(self, x, pooled=False):
        if self.input_pool > 1 and not pooled:
            x = F.avg_pool3d(x, self.input_pool)
        x = F.relu(self.stem(x))
        x = F.max_pool3d(x, 3, 2, 1)
        for layer in self.layers:
            x = layer(x)
        return x.mean(dim=(2, 3, 4))

    def forward(self, x, pooled=False):
        return F.normalize(self.norm(self.proj(self.features(x, pooled))), dim=-1)


class ClinicalEncoder(nn.Module):
    """MLP over standardised scores with per-feature missing flags, plus an APOE genotype embedding."""

    def __init__(self, c):
        super().__init__()
        n = len(c["clinical_features"])
        self.register_buffer("mean", torch.tensor(c["clinical_mean"]), persistent=False)
        self.register_buffer("std", torch.tensor(c["clinical_std"]), persistent=False)
        self.apoe = nn.Embedding(len(APOE_GENOTYPES), c["apoe_dim"])
        self.mlp = nn.Sequential(nn.Linear(2 * n + c["apoe_dim"], c["clinical_hidden"]), nn.ReLU(),
                                 nn.Linear(c["clinical_hidden"], c["embed_dim"]))
        self.norm = nn.LayerNorm(c["embed_dim"], eps=c["layer_norm_eps"])

    def forward(self, scores, present, apoe):
        """scores [B, n] (any value where absent), present [B, n] in {0, 1}, apoe [B] genotype indices."""
        x = torch.where(present > 0, (scores - self.mean) / self.std, torch.zeros_like(scores))
        h = torch.cat([x, present, self.apoe(apoe)], dim=-1)
        return F.normalize(self.norm(self.mlp(h)), dim=-1)


class AttentionFusion(nn.Module):
    """A learnable pool query attends over the present modality tokens (8 heads)."""

    def __init__(self, c):
        super().__init__()
        d = c["embed_dim"]
        self.pool_query = nn.Parameter(torch.randn(1, d) * 0.02)
        self.modality_embedding = nn.Parameter(torch.randn(len(MODALITIES), d) * 0.02)
        self.attn = nn.MultiheadAttention(d, c["attention_heads"], batch_first=True)
        self.norm = nn.LayerNorm(d, eps=c["layer_norm_eps"])

    def forward(self, tokens, present):
        """tokens [B, 3, d]; present [B, 3] bool. Returns the L2-normalised fused z [B, d]."""
        keys = tokens + self.modality_embedding.unsqueeze(0)
        query = self.pool_query.unsqueeze(0).expand(tokens.shape[0], -1, -1)
        fused, _ = self.attn(query, keys, keys, key_padding_mask=~present, need_weights=False)
        return F.normalize(self.norm(fused.squeeze(1)), dim=-1)


class FusedEncoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.t1_encoder = ResNet3D(config)
        self.fa_encoder = ResNet3D(config)
        self.clinical_encoder = ClinicalEncoder(config)
        self.fusion = AttentionFusion(config)
        d, h = config["embed_dim"], config["head_hidden"]
        self.heads = nn.ModuleDict({name: nn.Sequential(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, out))
                                    for name, out in HEADS.items()})

    def modality_embeddings(self, batch, pooled=False):
        """Per-modality unit vectors [B, 3, d] (zeros where absent) and the presence mask [B, 3]."""
        b = batch["present"].shape[0]
        d = self.config["embed_dim"]
        present = batch["present"].bool()
        tokens = []
        for m, (name, encoder) in enumerate([("t1", self.t1_encoder), ("fa", self.fa_encoder)]):
            z = torch.zeros(b, d)
            idx = present[:, m].nonzero().squeeze(1)
            if len(idx):
                z = z.index_put((idx,), encoder(batch[name][idx], pooled))
            tokens.append(z)
        clinical = self.clinical_encoder(batch["scores"], batch["score_present"], batch["apoe"])
        tokens.append(clinical * present[:, 2:3])
        return torch.stack(tokens, dim=1), present

    def forward(self, batch, pooled=False):
        tokens, present = self.modality_embeddings(batch, pooled)
        z = self.fusion(tokens, present)
        return z, {name: head(z) for name, head in self.heads.items()}


def decode_heads(config, outputs):
    """Turns raw head outputs into probabilities and denormalised regressions (same as Swift)."""
    return {
        "dx3": torch.softmax(outputs["dx3"], -1),
        "dx_binary": torch.softmax(outputs["dx_binary"], -1),
        "sex": torch.softmax(outputs["sex"], -1),
        "age": outputs["age"].squeeze(-1) * config["age_std"] + config["age_mean"],
        "cdrsb": outputs["cdrsb"].squeeze(-1) * config["cdrsb_std"] + config["cdrsb_mean"],
    }


def export(model, directory, half=False):
    """Writes config.json + model.safetensors (float32, or float16 with `half`), the pair the Swift loader reads."""
    import os
    from safetensors.torch import save_file
    os.makedirs(directory, exist_ok=True)
    dtype = torch.float16 if half else torch.float32
    state = {k: v.detach().to(dtype).contiguous() for k, v in model.state_dict().items()
             if not k.endswith("num_batches_tracked")}
    save_file(state, os.path.join(directory, "model.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(model.config, f, indent=1)


def load(directory):
    from safetensors.torch import load_file
    with open(f"{directory}/config.json") as f:
        config = json.load(f)
    model = FusedEncoder(config)
    model.load_state_dict(load_file(f"{directory}/model.safetensors"), strict=False)
    return model.eval()


def parameter_count(config):
    return sum(p.numel() for p in FusedEncoder(config).parameters())


def gflops_per_volume(config):
    """Multiply-adds ×2 of one ResNet3D forward at the configured input (for benchmarks)."""
    shape = [math.floor(s / config["input_pool"]) for s in config["input_shape"]]
    total, w = 0.0, config["width"]

    def conv(shape, cin, cout, k, s, p):
        out = [(d + 2 * p - k) // s + 1 for d in shape]
        return out, 2.0 * cin * k ** 3 * cout * out[0] * out[1] * out[2]

    shape, f = conv(shape, 1, w, 7, 2, 3); total += f
    shape = [(d + 2 - 3) // 2 + 1 for d in shape]
    cin = w
    for i, n in enumerate(config["blocks"]):
        cout, s = w * 2 ** i, 1 if i == 0 else 2
        for b in range(n):
            new, f1 = conv(shape, cin, cout, 3, s if b == 0 else 1, 1)
            _, f2 = conv(new, cout, cout, 3, 1, 1)
            total += f1 + f2
            if b == 0 and (s != 1 or cin != cout):
                total += conv(shape, cin, cout, 1, s, 0)[1]
            shape, cin = new, cout
    return total / 1e9
