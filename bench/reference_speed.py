#!/usr/bin/env python3
"""Times the reference implementation (tools/reference/caduceus_ref.py) in float32 — its plain-loop path:
a sequential selective scan, one torch op per token, on all CPU cores torch uses — for one checkpoint and
length, so that bench/run_cpu.sh can set genomamba's speed beside it in the same run.

  reference_speed.py -m MODEL_DIR -L 16384      prints: tokens/s
"""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "reference"))
import caduceus_ref as ref  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-m", "--model", required=True)
    ap.add_argument("-L", "--length", type=int, default=16384)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default, all cores)")
    a = ap.parse_args(argv)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    ref.set_precision("float32")
    m = ref.load_model(a.model)
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(7, 11, (a.length,), generator=g)  # A, C, G, T
    t0 = time.time()
    with torch.no_grad():
        out = ref.forward(m, ids)
    seconds = time.time() - t0
    hidden = out["last_hidden_state"]
    assert hidden.dtype == torch.float32, f"the reference ran in {hidden.dtype}, not float32"
    print(f"{a.length / seconds:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
