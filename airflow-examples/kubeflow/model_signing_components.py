"""Kubeflow Pipelines (KFP v2) components that sign and verify models with model-signing.

Components (``@dsl.container_component``; each runs the shaded jar's CLI):

* ``sign_model``: ``model-signing sign``; the job's one-line JSON result is the output
  artifact ``result`` (subject digest, files, bytes, signature path).
* ``verify_model``: ``model-signing verify``; the task fails (exit 1) when the model does not
  verify; ``result`` holds the outcome.
* ``verify_registry``: ``model-signing verify-registry``; ``report`` is a directory artifact
  with ``report.jsonl`` and ``summary.json``.

Pipelines: ``sign_and_verify`` (key signing, keys mounted from Kubernetes secrets) and
``reverify_registry``.

Caching is OFF for every task of these components: KFP caches a task by its component and
input values, and a model path is the same string before and after someone changes the model.
With caching on, a re-run ``verify`` of a tampered model returns the cached "verified" without
looking at the model, and a re-run ``sign`` after retraining into the same path would not sign
the new weights.

Beam reads only ``--name=value``, so every argument is one ``dsl.ConcatPlaceholder``; optional
inputs are passed only when set (``dsl.IfPresentPlaceholder``), so the CLI's defaults apply.

Image: ``airflow-examples/kubeflow/Dockerfile`` (a JRE, the jar, a non-root user with a
writable home for the Sigstore trust-root cache); set MODEL_SIGNING_IMAGE when compiling (KFP
fixes a container component's image at compile time).

Targets kfp 2.16 and kfp-kubernetes 2.16 (argument lists in WorkflowCallsTest come from the
sdk-2.16.1 tag). Compile: ``python model_signing_components.py`` writes
``sign_and_verify.yaml`` and ``reverify_registry.yaml``.

WorkflowArgsTest checks every ``--name=`` below against the pipeline options; the
``# model-signing: <command>`` comments tell it which command a block belongs to.
"""

from __future__ import annotations

import os

from kfp import dsl, kubernetes

MODEL_SIGNING_IMAGE = os.environ.get(
    "MODEL_SIGNING_IMAGE", "us-central1-docker.pkg.dev/my-project/model-signing/model-signing-cli:latest"
)
JAR_COMMAND = ["java", "-jar", "/opt/model-signing/model-signing.jar"]
KEYS_DIR = "/var/run/secrets/model-signing"


# model-signing: sign
@dsl.container_component
def sign_model(
    model: str,
    result: dsl.Output[dsl.Artifact],
    signer: str = "sigstore",
    method: str = "files",
    signature: str = None,
    private_key: str = None,
    identity_token_source: str = None,
    identity_token_file: str = None,
    allow_symlinks: str = "false",
):
    """Signs ``model`` (a path in the container, gs:// or s3://) and writes model.sig.

    Keyless (signer=sigstore) in a pod: mount a projected service-account token with audience
    "sigstore" and pass its path as identity_token_file, or on GKE use
    identity_token_source=gcp-metadata with Workload Identity. For signer=key, private_key is a
    file of a mounted Kubernetes secret (see sign_and_verify), never the key itself.
    """
    return dsl.ContainerSpec(
        image=MODEL_SIGNING_IMAGE,
        command=JAR_COMMAND,
        args=[
            "sign",
            dsl.ConcatPlaceholder(["--model=", model]),
            dsl.ConcatPlaceholder(["--signer=", signer]),
            dsl.ConcatPlaceholder(["--method=", method]),
            dsl.ConcatPlaceholder(["--allowSymlinks=", allow_symlinks]),
            dsl.ConcatPlaceholder(["--resultFile=", result.path]),
            dsl.IfPresentPlaceholder(
                input_name="signature", then=[dsl.ConcatPlaceholder(["--signature=", signature])]
            ),
            dsl.IfPresentPlaceholder(
                input_name="private_key", then=[dsl.ConcatPlaceholder(["--privateKey=", private_key])]
            ),
            dsl.IfPresentPlaceholder(
                input_name="identity_token_source",
                then=[dsl.ConcatPlaceholder(["--identityTokenSource=", identity_token_source])],
            ),
            dsl.IfPresentPlaceholder(
                input_name="identity_token_file",
                then=[dsl.ConcatPlaceholder(["--identityTokenFile=", identity_token_file])],
            ),
        ],
    )


# model-signing: verify
@dsl.container_component
def verify_model(
    model: str,
    result: dsl.Output[dsl.Artifact],
    verifier: str = "sigstore",
    signature: str = None,
    public_key: str = None,
    identity: str = None,
    identity_provider: str = None,
    trusted_root: str = None,
):
    """Verifies ``model`` against its signature; the task fails (exit 1) when it does not verify.

    trusted_root: a trusted_root.json to verify keyless signatures offline; without it the
    public-good trust root is fetched over TUF (egress to tuf-repo-cdn.sigstore.dev) and cached
    in the image user's home.
    """
    return dsl.ContainerSpec(
        image=MODEL_SIGNING_IMAGE,
        command=JAR_COMMAND,
        args=[
            "verify",
            dsl.ConcatPlaceholder(["--model=", model]),
            dsl.ConcatPlaceholder(["--verifier=", verifier]),
            dsl.ConcatPlaceholder(["--resultFile=", result.path]),
            dsl.IfPresentPlaceholder(
                input_name="signature", then=[dsl.ConcatPlaceholder(["--signature=", signature])]
            ),
            dsl.IfPresentPlaceholder(
                input_name="public_key", then=[dsl.ConcatPlaceholder(["--publicKey=", public_key])]
            ),
            dsl.IfPresentPlaceholder(
                input_name="identity", then=[dsl.ConcatPlaceholder(["--identity=", identity])]
            ),
            dsl.IfPresentPlaceholder(
                input_name="identity_provider",
                then=[dsl.ConcatPlaceholder(["--identityProvider=", identity_provider])],
            ),
            dsl.IfPresentPlaceholder(
                input_name="trusted_root",
                then=[dsl.ConcatPlaceholder(["--trustedRoot=", trusted_root])],
            ),
        ],
    )


# model-signing: verify-registry
@dsl.container_component
def verify_registry(
    registry: str,
    report: dsl.Output[dsl.Artifact],
    verifier: str = "sigstore",
    public_key: str = None,
    identity: str = None,
    identity_provider: str = None,
    trusted_root: str = None,
    require_signed: str = "true",
    model_marker: str = "*.safetensors",
    fail_on_invalid: str = "true",
):
    """Re-verifies every signed model under ``registry``; ``report`` gets report.jsonl and
    summary.json. With fail_on_invalid="true" (default) the task fails after writing them when
    any model is not verified; set "false" to let a downstream step read summary.json instead.
    """
    return dsl.ContainerSpec(
        image=MODEL_SIGNING_IMAGE,
        command=JAR_COMMAND,
        args=[
            "verify-registry",
            dsl.ConcatPlaceholder(["--registry=", registry]),
            dsl.ConcatPlaceholder(["--report=", report.path]),
            dsl.ConcatPlaceholder(["--verifier=", verifier]),
            dsl.ConcatPlaceholder(["--requireSigned=", require_signed]),
            dsl.ConcatPlaceholder(["--modelMarker=", model_marker]),
            dsl.ConcatPlaceholder(["--failOnInvalid=", fail_on_invalid]),
            dsl.IfPresentPlaceholder(
                input_name="public_key", then=[dsl.ConcatPlaceholder(["--publicKey=", public_key])]
            ),
            dsl.IfPresentPlaceholder(
                input_name="identity", then=[dsl.ConcatPlaceholder(["--identity=", identity])]
            ),
            dsl.IfPresentPlaceholder(
                input_name="identity_provider",
                then=[dsl.ConcatPlaceholder(["--identityProvider=", identity_provider])],
            ),
            dsl.IfPresentPlaceholder(
                input_name="trusted_root",
                then=[dsl.ConcatPlaceholder(["--trustedRoot=", trusted_root])],
            ),
        ],
    )


# model-signing: none (the pipelines below pass component inputs, not pipeline options)
@dsl.pipeline(name="sign-and-verify-model", description="Sign a model with a key, then verify it.")
def sign_and_verify(
    model: str = "gs://my-models-bucket/models/my-model",
    signing_key_secret: str = "model-signing-private-key",
    public_key_secret: str = "model-signing-public-key",
):
    # Secret "model-signing-private-key" holds private-key.pem; it is mounted read-only into
    # this task's pod only. The key never becomes a pipeline parameter or artifact.
    signed = sign_model(model=model, signer="key", private_key=KEYS_DIR + "/private-key.pem")
    kubernetes.use_secret_as_volume(signed, secret_name=signing_key_secret, mount_path=KEYS_DIR)
    signed.set_caching_options(False)  # see the module docstring

    verified = verify_model(model=model, verifier="key", public_key=KEYS_DIR + "/public-key.pem")
    kubernetes.use_secret_as_volume(verified, secret_name=public_key_secret, mount_path=KEYS_DIR)
    verified.set_caching_options(False)
    verified.after(signed)


@dsl.pipeline(name="reverify-registry", description="Re-verify every signed model of a registry.")
def reverify_registry(
    registry: str = "gs://my-models-bucket/models",
    identity: str = "model-signer@my-project.iam.gserviceaccount.com",
    identity_provider: str = "https://accounts.google.com",
):
    checked = verify_registry(
        registry=registry, verifier="sigstore", identity=identity, identity_provider=identity_provider
    )
    checked.set_caching_options(False)


if __name__ == "__main__":
    from kfp import compiler

    compiler.Compiler().compile(sign_and_verify, package_path="sign_and_verify.yaml")
    compiler.Compiler().compile(reverify_registry, package_path="reverify_registry.yaml")
