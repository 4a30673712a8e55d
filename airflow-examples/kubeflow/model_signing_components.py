"""Kubeflow Pipelines (KFP v2) components that sign and verify a model with model-signing.

Each component runs the shaded jar's CLI in a container (``model-signing <command>
--name=value ...``; Beam reads only the ``--name=value`` form, so every argument is built with
``dsl.ConcatPlaceholder(['--name=', value])``). Optional inputs are passed only when set
(``dsl.IfPresentPlaceholder``), so the pipeline's own defaults apply otherwise.

The image: build ``airflow-examples/kubeflow/Dockerfile`` (a JRE plus
pipeline/target/model-signing.jar) and set MODEL_SIGNING_IMAGE when compiling. KFP fixes a
container component's image at compile time, so it is a module setting, not a runtime input.

Compile (needs ``pip install kfp>=2``; not needed to import-check this file):
    python -m kfp.cli.cli dsl compile --py model_signing_components.py --output sign_and_verify.yaml
or run this file directly.

WorkflowArgsTest checks every ``--name=`` below against the pipeline options; the
``# model-signing: <command>`` comments tell it which command a block belongs to.
"""

from __future__ import annotations

import os

from kfp import dsl

MODEL_SIGNING_IMAGE = os.environ.get(
    "MODEL_SIGNING_IMAGE", "us-central1-docker.pkg.dev/my-project/model-signing/model-signing-cli:latest"
)
JAR_COMMAND = ["java", "-jar", "/opt/model-signing/model-signing.jar"]


# model-signing: sign
@dsl.container_component
def sign_model(
    model: str,
    result: dsl.OutputPath(str),
    signer: str = "sigstore",
    method: str = "files",
    signature: str = None,
    private_key: str = None,
    identity_token_source: str = None,
    identity_token_file: str = None,
):
    """Signs ``model`` (local path in the container, gs:// or s3://) and writes model.sig.

    Keyless (signer=sigstore) inside a KFP pod: mount a projected service-account token with
    audience "sigstore" and pass its path as identity_token_file, or on GKE use
    identity_token_source=gcp-metadata with Workload Identity. For signer=key, private_key is
    the path of a mounted Kubernetes secret, never the key itself.
    """
    return dsl.ContainerSpec(
        image=MODEL_SIGNING_IMAGE,
        command=JAR_COMMAND,
        args=[
            "sign",
            dsl.ConcatPlaceholder(["--model=", model]),
            dsl.ConcatPlaceholder(["--signer=", signer]),
            dsl.ConcatPlaceholder(["--method=", method]),
            dsl.ConcatPlaceholder(["--resultFile=", result]),
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
    result: dsl.OutputPath(str),
    verifier: str = "sigstore",
    signature: str = None,
    public_key: str = None,
    identity: str = None,
    identity_provider: str = None,
):
    """Verifies ``model`` against its signature; the task fails (exit 1) when it does not verify."""
    return dsl.ContainerSpec(
        image=MODEL_SIGNING_IMAGE,
        command=JAR_COMMAND,
        args=[
            "verify",
            dsl.ConcatPlaceholder(["--model=", model]),
            dsl.ConcatPlaceholder(["--verifier=", verifier]),
            dsl.ConcatPlaceholder(["--resultFile=", result]),
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
        ],
    )


# model-signing: none (the pipeline below passes component inputs, not pipeline options)
@dsl.pipeline(name="sign-and-verify-model", description="Sign a model with a key, then verify it.")
def sign_and_verify(
    model: str = "gs://my-models-bucket/models/my-model",
    private_key: str = "/var/run/secrets/model-signing/private-key.pem",
    public_key: str = "/etc/model-signing/public-key.pem",
):
    signed = sign_model(model=model, signer="key", private_key=private_key)
    verify_model(model=model, verifier="key", public_key=public_key).after(signed)


if __name__ == "__main__":
    from kfp import compiler

    compiler.Compiler().compile(sign_and_verify, package_path="sign_and_verify.yaml")
