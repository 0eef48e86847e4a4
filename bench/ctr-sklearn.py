#!/usr/bin/python3
"""The scikit-learn baseline of bench/ctr.ts: LogisticRegression(solver="lbfgs") on the hashed
features Pathwise exported (libsvm, zero-based bucket indices), same split, same L2 (C = 1 / (l2 · n)).

    python3 bench/ctr-sklearn.py TRAIN.svm TEST.svm N_FEATURES L2 MAX_ITER [full|compact|both]

Two fits of the same problem: "full" on all 2^bits columns (as with FeatureHasher), "compact"
on only the columns the training rows use (the weights of the others are 0 either way, so the
predictions are the same up to convergence; SciPy's L-BFGS-B costs O(columns) per iteration).
Prints one JSON object: load seconds, and per fit its seconds (fit only is the training time),
iterations, test log loss and ROC AUC.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.datasets import load_svmlight_file
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score

train, test, n_features, l2, max_iter = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
fits = sys.argv[6] if len(sys.argv) > 6 else "both"
t0 = time.perf_counter()
X, y = load_svmlight_file(train, n_features=n_features, zero_based=True)
Xt, yt = load_svmlight_file(test, n_features=n_features, zero_based=True)
load_s = time.perf_counter() - t0


def fit(X, Xt):
    t0 = time.perf_counter()
    model = LogisticRegression(C=1.0 / (l2 * X.shape[0]), solver="lbfgs", max_iter=max_iter)
    model.fit(X, y)
    seconds = time.perf_counter() - t0
    p = model.predict_proba(Xt)[:, 1]
    return {
        "fitSeconds": seconds,
        "iterations": int(model.n_iter_[0]),
        "logLoss": log_loss(yt, p),
        "rocAuc": roc_auc_score(yt, p),
    }


out = {"version": sklearn.__version__, "loadSeconds": load_s}
if fits in ("full", "both"):
    out["full"] = fit(X, Xt)
if fits in ("compact", "both"):
    used = np.unique(X.indices)
    out["compact"] = fit(X[:, used], Xt[:, used])
print(json.dumps(out))
