"""The large-file benchmarks' input: one random file in a repo folder that testhub.py serves."""
import os

# Not .safetensors: `depot pull` checks the structure of those, and random bytes are not one.
REPO, PATH = "bench/big", "weights.bin"


def ensure_data(data_dir, size):
    """DATA_DIR/repos/REPO/PATH with `size` random bytes, reused when a previous run left it."""
    target = os.path.join(data_dir, "repos", REPO, PATH)
    if os.path.exists(target) and os.path.getsize(target) == size:
        return target
    os.makedirs(os.path.dirname(target), exist_ok=True)
    print("writing %d MiB of random data to %s" % (size >> 20, target), flush=True)
    with open("/dev/urandom", "rb") as source, open(target + ".tmp", "wb") as out:
        remaining = size
        while remaining:
            block = source.read(min(remaining, 16 << 20))
            out.write(block)
            remaining -= len(block)
    os.replace(target + ".tmp", target)
    return target
