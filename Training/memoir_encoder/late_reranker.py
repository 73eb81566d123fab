"""Reference of Memoir's late-interaction cross-encoder (PreTTR, MacAvaney et al., SIGIR 2020).

A `BertForSequenceClassification` whose first `join_layer` encoder layers read the query and the candidate
each on its own — `[CLS] text [SEP]`, token type 0, positions from 0, exactly as the base sentence encoder
reads a sentence — and whose remaining layers read the two segments' states concatenated, query first,
with full attention across them. The score is `classifier(tanh(pooler(h_CLS)))` of the query's [CLS].

Because a candidate's states up to `join_layer` do not depend on the query, they are computed once per
library case and cached; a rerank then costs only the joined layers. With `join_layer = L - 1` only the
query's [CLS] row of the last layer is needed, so that layer is computed for that row alone. `join_layer = 0` is the ordinary cross-encoder (Swift then uses the standard pair input).
"""
import math

import torch
import torch.nn.functional as F


@torch.no_grad()
def segment_states(bert, tokenizer, texts, join_layer, max_length, batch_size=64):
    """Hidden states entering layer `join_layer` for each text read alone, as a list of [tokens, hidden] tensors."""
    out = []
    for s in range(0, len(texts), batch_size):
        enc = tokenizer(texts[s:s + batch_size], truncation=True, max_length=max_length, padding=True, return_tensors="pt")
        states = bert(**enc, output_hidden_states=True).hidden_states[join_layer]
        for row, n in zip(states, enc["attention_mask"].sum(1).tolist()):
            out.append(row[:n].clone())
    return out


def pad(states, dtype=torch.float32):
    """[n, longest, hidden] and a [n, longest] mask of real rows."""
    longest = max(s.shape[0] for s in states)
    x = torch.zeros(len(states), longest, states[0].shape[1], dtype=dtype)
    mask = torch.zeros(len(states), longest, dtype=torch.bool)
    for i, s in enumerate(states):
        x[i, :s.shape[0]] = s
        mask[i, :s.shape[0]] = True
    return x, mask


def last_layer_scores(model, q, q_mask, c, c_mask):
    """Scores of B queries against N candidates each when only the last layer is joined.

    q [B, Tq, h], q_mask [B, Tq]; c [B, N, Tc, h], c_mask [B, N, Tc] → [B, N] logits (label 0).
    Dropout follows model.training, as in BertLayer.

    Keys and values are never formed: for one query row, q·(W_k x + b_k) = (W_kᵀ q)·x + q·b_k, and the last
    term is the same for every key, so softmax drops it; and Σ p (W_v x + b_v) = W_v (Σ p x) + b_v since the
    weights sum to one. Each head's query is mapped back to the input space and the attention mixes input
    rows, which costs h per row and head instead of 2h² per row.
    """
    bert = model.bert
    layer = bert.encoder.layer[-1]
    att = layer.attention.self
    cfg = model.config
    heads, d = cfg.num_attention_heads, cfg.hidden_size // cfg.num_attention_heads
    B, Tq, h = q.shape
    N = c.shape[1]
    cls = q[:, 0]
    query = att.query(cls).view(B, heads, d) / math.sqrt(d)
    probe = torch.einsum("bhd,hdi->bhi", query, att.key.weight.view(heads, d, h))
    sq = torch.einsum("bhi,bti->bht", probe, q).masked_fill(~q_mask[:, None, :], float("-inf"))
    sc = torch.einsum("bhi,bnti->bnht", probe, c).masked_fill(~c_mask[:, :, None, :], float("-inf"))
    p = torch.softmax(torch.cat([sq[:, None].expand(B, N, heads, Tq), sc], dim=-1), dim=-1)
    p = F.dropout(p, cfg.attention_probs_dropout_prob, model.training)
    mixed = torch.einsum("bnht,bti->bnhi", p[..., :Tq], q) + torch.einsum("bnht,bnti->bnhi", p[..., Tq:], c)
    ctx = torch.einsum("bnhi,hdi->bnhd", mixed, att.value.weight.view(heads, d, h)) + att.value.bias.view(heads, d)
    attended = layer.attention.output(ctx.reshape(B, N, h), cls[:, None].expand(B, N, h))
    out = layer.output(layer.intermediate(attended), attended)
    pooled = bert.pooler.activation(bert.pooler.dense(out))
    return model.classifier(model.dropout(pooled))[..., 0]


@torch.no_grad()
def joined_layer_check(model, q, c):
    """The same score through transformers' own BertLayer on the concatenated rows (every row computed):
    proves the [CLS]-only arithmetic above is the layer's."""
    x = torch.cat([q, c])[None]
    out = model.bert.encoder.layer[-1](x)
    out = out[0] if isinstance(out, tuple) else out
    pooled = model.bert.pooler.activation(model.bert.pooler.dense(out[:, 0]))
    return model.classifier(pooled)[0, 0].item()
