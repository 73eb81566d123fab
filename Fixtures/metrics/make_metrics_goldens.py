"""Expected values for Swift's ClassificationMetrics / RegressionMetrics, computed by scikit-learn and SciPy.

Run with the reference venv:  .venv-ref/bin/python Fixtures/metrics/make_metrics_goldens.py
Writes Fixtures/metrics/expected.json (inputs and outputs together, so the Swift test needs nothing else).
"""
import json
import os

import numpy as np
import scipy.stats
import sklearn
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, confusion_matrix, f1_score,
                             mean_absolute_error, mean_squared_error, precision_score, recall_score, roc_auc_score)

rng = np.random.default_rng(2363)


def classification(name, labels, truth, predicted, scores=None):
    """labels fixes the matrix order; metrics use sklearn's defaults otherwise."""
    case = {"name": name, "labels": labels, "truth": truth, "predicted": predicted,
            "confusion": confusion_matrix(truth, predicted, labels=labels).tolist(),
            "accuracy": accuracy_score(truth, predicted),
            "balanced_accuracy": balanced_accuracy_score(truth, predicted),
            "macro_f1": f1_score(truth, predicted, average="macro", zero_division=0)}
    case["precision"] = precision_score(truth, predicted, labels=labels, average=None, zero_division=0).tolist()
    case["recall"] = recall_score(truth, predicted, labels=labels, average=None, zero_division=0).tolist()
    case["f1"] = f1_score(truth, predicted, labels=labels, average=None, zero_division=0).tolist()
    if scores is not None:
        s = np.asarray(scores)
        t = np.asarray(truth)
        per_class = []
        for k, label in enumerate(labels):
            y = (t == label).astype(int)
            per_class.append(roc_auc_score(y, s[:, k]) if 0 < y.sum() < len(y) else None)
        case["scores"] = s.tolist()
        case["auc"] = per_class
        present = set(truth)
        if len(labels) > 2 and all(label in present for label in labels):
            # sklearn wants the labels sorted: reorder the score columns to match.
            order = sorted(range(len(labels)), key=lambda k: labels[k])
            case["macro_auc"] = roc_auc_score(truth, s[:, order], multi_class="ovr", average="macro",
                                              labels=[labels[k] for k in order])
        elif len(labels) == 2:
            case["macro_auc"] = float(np.mean([a for a in per_class if a is not None]))
    return case


def probabilities(n, k, decimals):
    """Rows summing to 1 on a grid of 10**-decimals: coarse grids make many tied scores."""
    grid = 10 ** decimals
    return np.stack([rng.multinomial(grid, q) for q in rng.dirichlet(np.ones(k), size=n)]) / grid


cases = []
dx = ["CN", "MCI", "Dementia"]

# 1. Three classes, 200 samples, probabilities rounded to 1 decimal: heavy ties.
n = 200
truth = rng.choice(dx, size=n).tolist()
p = probabilities(n, 3, 1)
predicted = [dx[i] for i in p.argmax(axis=1)]
cases.append(classification("three_class_ties", dx, truth, predicted, p))

# 2. Informative scores (a noisy classifier), finer probabilities.
n = 300
t_idx = rng.integers(0, 3, size=n)
logits = rng.normal(size=(n, 3)) + 1.5 * np.eye(3)[t_idx]
p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
p = np.stack([rng.multinomial(1000, q / q.sum()) for q in p]) / 1000
cases.append(classification("three_class_informative", dx, [dx[i] for i in t_idx], [dx[i] for i in p.argmax(axis=1)], p))

# 3. A class never predicted (zero precision) and uneven supports.
truth = ["CN"] * 10 + ["MCI"] * 5 + ["Dementia"] * 3
predicted = ["CN"] * 8 + ["Dementia"] * 2 + ["CN"] * 4 + ["Dementia"] + ["Dementia"] * 3
cases.append(classification("never_predicted", dx, truth, predicted))

# 4. A label of the list absent from truth (a subset with no MCI): balanced accuracy and F1 skip it.
truth = ["CN"] * 6 + ["Dementia"] * 6
predicted = ["CN", "CN", "CN", "MCI", "Dementia", "CN", "Dementia", "Dementia", "MCI", "Dementia", "CN", "Dementia"]
sc = probabilities(12, 3, 2)
cases.append(classification("absent_in_truth", dx, truth, predicted, sc))

# 5. Binary (CN vs Dementia) with P(Dementia) scores, many ties.
n = 120
t = rng.integers(0, 2, size=n)
pd = np.clip(np.round(0.3 + 0.4 * t + rng.normal(scale=0.25, size=n), 1), 0, 1)
sc = np.stack([1 - pd, pd], axis=1)
cases.append(classification("binary", ["CN", "Dementia"], [["CN", "Dementia"][i] for i in t],
                            [["CN", "Dementia"][int(x > 0.5)] for x in pd], sc))

# 6. Free-text answers (VQA-style), sorted-union labels, no scores.
answers = ["yes", "no", "mild cognitive impairment", "dementia"]
truth = rng.choice(answers, size=40).tolist()
predicted = [a if rng.random() < 0.6 else rng.choice(answers) for a in truth]
cases.append(classification("strings", sorted(set(truth) | set(predicted)), truth, predicted))

regressions = []
for name, (t, p) in {
    "age": (rng.normal(75, 7, 150), None),
    "cdrsb": (np.clip(rng.gamma(1.2, 2.0, 150), 0, 18), None),
}.items():
    p = t + rng.normal(0, 2.5, len(t))
    regressions.append({"name": name, "truth": t.tolist(), "predicted": p.tolist(),
                        "mae": mean_absolute_error(t, p), "rmse": float(np.sqrt(mean_squared_error(t, p))),
                        "pearson_r": float(scipy.stats.pearsonr(t, p)[0])})
t = [1.0, 2.0, 3.0, 4.0]
regressions.append({"name": "constant_prediction", "truth": t, "predicted": [2.5] * 4,
                    "mae": mean_absolute_error(t, [2.5] * 4), "rmse": float(np.sqrt(mean_squared_error(t, [2.5] * 4))),
                    "pearson_r": None})

out = {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "classification": cases, "regression": regressions}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "expected.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print(f"wrote {path}: {len(cases)} classification and {len(regressions)} regression cases (sklearn {sklearn.__version__})")
