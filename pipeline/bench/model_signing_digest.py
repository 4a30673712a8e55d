#!/usr/bin/env python3
"""Runs model_signing's own hashing code on a model and prints its subject digest.

    python3 pipeline/bench/model_signing_digest.py --src=/tmp/model-transparency \
        [--shard-size=N] [--max-workers=N] MODEL

Prints one line, `sha256:<hex>`: the same value as `model_signing digest MODEL` (the command
model_signing's main branch has since January 2026, after v1.1.1; no release has it yet) and
as the subject digest `model_signing sign` writes. With --shard-size it hashes by shards of that
many bytes (`hashing.Config().use_shard_serialization(shard_size=N)`, what `sign` does when a
caller asks for shards); without it, by files (the default). `--version` prints the checkout's
`model_signing.__version__` and exits. Only the standard library is needed.

How model_signing's code is loaded (none of it is copied here; --src names a checkout of
github.com/sigstore/model-transparency, e.g. `git archive v1.1.1 | tar -x -C /tmp/mt`):

* `model_signing/__init__.py` imports `signing` and `verifying`, which need sigstore,
  in_toto_attestation, cryptography extras, click, ... (not installed here). The hashing code
  needs none of them. So this script registers an empty package object named `model_signing`
  whose `__path__` is the checkout's `src/model_signing` directory, *without running its
  `__init__.py`*; `import model_signing.hashing` then loads the real `hashing.py`, `manifest.py`,
  `_hashing/*.py` and `_serialization/*.py` from the checkout, unchanged.
* Two third-party imports of those modules are stubbed only when they are missing:
  `blake3` (imported at module level by `hashing.py` and `_hashing/{io,memory}.py`, used only
  when the blake3 algorithm is chosen, which this script never does: the stub raises if
  called) and `typing_extensions` (for `override`, a no-op decorator, and `Self`, in
  `typing` since 3.11).
* The subject digest is SHA-256 over the raw resource digests in
  `manifest.resource_descriptors()` order, written here in the same four lines as
  model_signing's `digest` command (`_cli.py`) and its in-toto payload (`_signing/signing.py`);
  the ordering, hashing, sharding and ignore rules are all model_signing's own code.

Defaults are model_signing's: chunk size 1 MiB, `ignore_git_paths=True` (`.git/`,
`.gitattributes`, `.github/`, `.gitignore`), no other ignored paths (`digest` does not ignore a
signature file), symlinks refused, and `max_workers=None`, i.e. `concurrent.futures`'
default thread count, min(32, cpu_count + 4).
"""

import argparse
import ast
import hashlib
import os
import pathlib
import sys
import types
import typing


def _stub_missing_dependencies() -> None:
    try:
        import blake3  # noqa: F401
    except ImportError:
        stub = types.ModuleType("blake3")

        class _Blake3Unavailable:
            AUTO = -1

            def __init__(self, *args, **kwargs):
                raise RuntimeError("blake3 is not installed (stubbed by the benchmark driver)")

        stub.blake3 = _Blake3Unavailable
        sys.modules["blake3"] = stub
    try:
        import typing_extensions  # noqa: F401
    except ImportError:
        stub = types.ModuleType("typing_extensions")
        stub.override = lambda f: f
        stub.Self = typing.Self
        sys.modules["typing_extensions"] = stub


def _version(package_dir: pathlib.Path) -> str:
    tree = ast.parse((package_dir / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    return "unknown"


def load_model_signing(src: pathlib.Path):
    """Imports model_signing.hashing (and what it imports) from a source checkout."""
    package_dir = src / "src" / "model_signing"
    if not (package_dir / "hashing.py").is_file():
        sys.exit(f"model_signing_digest: no src/model_signing/hashing.py under {src}")
    if "model_signing" in sys.modules:
        sys.exit("model_signing_digest: model_signing is already imported")
    _stub_missing_dependencies()
    package = types.ModuleType("model_signing")
    package.__path__ = [str(package_dir)]  # a package: submodules are found here
    package.__file__ = str(package_dir / "__init__.py")
    package.__version__ = _version(package_dir)
    sys.modules["model_signing"] = package
    import model_signing.hashing
    from model_signing._hashing import memory

    return package, model_signing.hashing, memory


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--src",
        default=os.environ.get("MODEL_SIGNING_SRC"),
        help="model-transparency checkout (default: $MODEL_SIGNING_SRC)",
    )
    parser.add_argument("--shard-size", type=int, help="hash by shards of this many bytes")
    parser.add_argument(
        "--max-workers", type=int, help="threads (default: model_signing's default)"
    )
    parser.add_argument("--version", action="store_true", help="print __version__ and exit")
    parser.add_argument("model", nargs="?")
    args = parser.parse_args()
    if not args.src:
        parser.error("--src (or MODEL_SIGNING_SRC) is required")
    package, hashing, memory = load_model_signing(pathlib.Path(args.src))
    if args.version:
        print(package.__version__)
        return 0
    if not args.model:
        parser.error("MODEL is required")

    config = hashing.Config().set_ignored_paths(paths=[], ignore_git_paths=True)
    if args.shard_size is not None:
        config.use_shard_serialization(shard_size=args.shard_size, max_workers=args.max_workers)
    elif args.max_workers is not None:
        config.use_file_serialization(max_workers=args.max_workers)
    manifest = config.hash(pathlib.Path(args.model))

    # As model_signing's `digest` command and in-toto payload do.
    hasher = memory.SHA256()
    for descriptor in manifest.resource_descriptors():
        hasher.update(descriptor.digest.digest_value)
    root = hasher.compute()
    print(f"{root.algorithm}:{root.digest_hex}")
    return 0


if __name__ == "__main__":
    # Some hashlib imports are lazy; import here so a broken Python fails before timing starts.
    hashlib.sha256()
    sys.exit(main())
