"""Sign a model as soon as training has written it.

Two DAGs, same shape (train -> sign -> record the digest):

* ``sign_after_training_dataflow``: signs on Dataflow with the ``sign`` Flex Template
  (templates/README.md), keyless by default: the Dataflow worker service account is the
  signing identity.
* ``sign_after_training_local``: runs the shaded jar on the Airflow worker with the
  DirectRunner (no cloud needed), signs with a private key file, then verifies.

Targets Airflow 2.10+ and 3.x (the imports below pick the Airflow 3 Task SDK when present),
apache-airflow-providers-google 19.0.0+ and apache-airflow-providers-apache-beam 6.1.1+
(the versions the argument lists in WorkflowCallsTest were read from).

The training task is a placeholder that returns the model location (XCom); replace it with
your training and keep returning the path. Each run writes its own model directory
(``run_key``): ``{{ ds }}`` is not defined for Airflow 3 runs without a logical date, and two
runs on one day would otherwise sign the same path.

Options reach the pipeline as ``--name=value`` (Beam reads no other form): the Flex Template
``parameters`` dict and ``pipeline_options`` of BeamRunJavaPipelineOperator become exactly
that. WorkflowArgsTest checks their keys against the pipeline options (the
``# model-signing: <command>`` comments say which pipeline a block belongs to) and
WorkflowCallsTest checks every keyword argument against the providers' signatures.
No secrets appear here: keys and passwords are files or variable names on the worker.
"""

from __future__ import annotations

import json
import re

import pendulum
from airflow.providers.apache.beam.operators.beam import BeamRunJavaPipelineOperator
from airflow.providers.google.cloud.operators.dataflow import DataflowStartFlexTemplateOperator

try:  # Airflow 3: the Task SDK
    from airflow.sdk import DAG, Param, task
except ImportError:  # Airflow 2.10
    from airflow import DAG
    from airflow.decorators import task
    from airflow.models.param import Param


def run_key(dag_run) -> str:
    """A path segment unique to this DAG run: <date>/<run id>, usable in gs://, s3:// and paths.

    Airflow 3 runs triggered without a logical date have ``logical_date`` None; ``run_after``
    is always set there. Airflow 2 runs always have a logical date.
    """
    when = getattr(dag_run, "logical_date", None) or getattr(dag_run, "run_after", None)
    run_id = re.sub(r"[^A-Za-z0-9._-]+", "-", dag_run.run_id).strip("-")
    return f"{when:%Y-%m-%d}/{run_id}"


def read_text(uri: str) -> str:
    """Reads a small gs:// object or local file (the one-line JSON a job wrote)."""
    if uri.startswith("gs://"):
        from airflow.providers.google.cloud.hooks.gcs import GCSHook

        bucket, _, name = uri[len("gs://") :].partition("/")
        return GCSHook().download(bucket_name=bucket, object_name=name).decode("utf-8")
    with open(uri, encoding="utf-8") as f:
        return f.read()


@task(task_id="record_signature", multiple_outputs=True)
def record_signature(result_file: str) -> dict:
    """Pushes what was signed to XCom (keys model, subjectDigest, signature, files, bytes).

    The subject digest is what ``model_signing digest`` prints for the same model: keep it with
    the model's registry entry so a later download can be checked against it.
    """
    result = json.loads(read_text(result_file))
    return {k: result[k] for k in ("model", "subjectDigest", "signature", "files", "bytes")}


MODEL_FROM_TRAINING = "{{ ti.xcom_pull(task_ids='train_model') }}"
SIGN_RESULT = "{{ params.results }}/{{ run_key(dag_run) }}/sign-result.json"

# ---------------------------------------------------------------------------------------------
# Variant 1: Dataflow Flex Template
# ---------------------------------------------------------------------------------------------
with DAG(
    dag_id="sign_after_training_dataflow",
    description="Train a model, then sign it on Dataflow (keyless Sigstore signing).",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    schedule=None,
    catchup=False,
    tags=["model-signing"],
    user_defined_macros={"run_key": run_key},
    params={
        "project": Param("my-project", type="string", description="Google Cloud project"),
        "region": Param("us-central1", type="string"),
        "template_spec": Param(
            "gs://my-templates-bucket/templates/model-signing-sign-latest.json",
            type="string",
            description="Spec staged by templates/build-and-stage.sh",
        ),
        "model_root": Param("gs://my-models-bucket/models", type="string", pattern=r"^(gs|s3)://.+"),
        # Job results are read back by record_signature; a gs:// prefix the Airflow connection
        # can read and the Dataflow workers can write.
        "results": Param("gs://my-dataflow-bucket/model-signing/results", type="string", pattern=r"^gs://.+"),
        "service_account": Param(
            "model-signer@my-project.iam.gserviceaccount.com",
            type="string",
            description="Dataflow worker service account = the identity in the signing certificate",
        ),
        "temp_location": Param("gs://my-dataflow-bucket/tmp", type="string"),
        "method": Param("files", enum=["files", "shards"]),
    },
) as sign_on_dataflow:
    # model-signing: none (training placeholder)
    @task(task_id="train_model")
    def train_model(params=None, dag_run=None) -> str:
        """Placeholder: train, write the model, return where it is (one directory per run)."""
        return f"{params['model_root']}/{run_key(dag_run)}"

    # model-signing: sign
    sign = DataflowStartFlexTemplateOperator(
        task_id="sign_model",
        project_id="{{ params.project }}",
        location="{{ params.region }}",
        # Wait for the batch job in the triggerer, not in a worker slot. Explicit because some
        # deployments default operators to deferrable, and deferrable=True together with
        # wait_until_finished=True raises when the DAG file is parsed. A job that ends FAILED
        # fails the task.
        deferrable=True,
        # A failed sign job is an infrastructure problem (nothing is signed on failure, and a
        # retry that finds its own signature keeps it), so retrying is safe.
        retries=2,
        body={
            "launchParameter": {
                "jobName": "sign-model",  # the operator appends a unique suffix
                "containerSpecGcsPath": "{{ params.template_spec }}",
                "parameters": {
                    "model": MODEL_FROM_TRAINING,
                    "method": "{{ params.method }}",
                    "signer": "sigstore",
                    "identityTokenSource": "gcp-metadata",
                    "resultFile": SIGN_RESULT,
                },
                "environment": {
                    "serviceAccountEmail": "{{ params.service_account }}",
                    "tempLocation": "{{ params.temp_location }}",
                    "maxWorkers": 20,
                },
            }
        },
    )

    # model-signing: none (reads the job's result file)
    train_model() >> sign >> record_signature(result_file=SIGN_RESULT)

# ---------------------------------------------------------------------------------------------
# Variant 2: the shaded jar on the Airflow worker (DirectRunner)
# ---------------------------------------------------------------------------------------------
LOCAL_SIGN_RESULT = "{{ params.model_root }}/.results/{{ run_key(dag_run) }}/sign-result.json"

with DAG(
    dag_id="sign_after_training_local",
    description="Train a model, then sign and verify it with the shaded jar (DirectRunner).",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    schedule=None,
    catchup=False,
    tags=["model-signing"],
    user_defined_macros={"run_key": run_key},
    params={
        "jar": Param(
            "/opt/model-signing/model-signing.jar",
            type="string",
            description="pipeline/target/model-signing.jar (a gs:// path is downloaded first)",
        ),
        "model_root": Param("/data/models", type="string"),
        # Paths on the Airflow worker (mounted secrets), never the key itself.
        "private_key": Param("/var/run/secrets/model-signing/private-key.pem", type="string"),
        "public_key": Param("/etc/model-signing/public-key.pem", type="string"),
    },
) as sign_locally:
    # model-signing: none (training placeholder)
    @task(task_id="train_model")
    def train_model_locally(params=None, dag_run=None) -> str:
        return f"{params['model_root']}/{run_key(dag_run)}"

    # model-signing: sign
    sign_local = BeamRunJavaPipelineOperator(
        task_id="sign_model",
        jar="{{ params.jar }}",
        job_class="dev.modelsigning.pipeline.SignModelPipeline",
        runner="DirectRunner",
        # The DirectRunner job must run here, on the worker that has the jar, the model and the
        # mounted key; deferrable=True would run the JVM in the triggerer instead.
        deferrable=False,
        pipeline_options={
            "model": MODEL_FROM_TRAINING,
            "signer": "key",
            "privateKey": "{{ params.private_key }}",
            "resultFile": LOCAL_SIGN_RESULT,
            # For an encrypted key: the *name* of a worker environment variable holding the
            # password (or privateKeyPasswordFile), never the password.
            # "privateKeyPasswordEnv": "MODEL_SIGNING_KEY_PASSWORD",
        },
    )

    # model-signing: verify
    verify_local = BeamRunJavaPipelineOperator(
        task_id="verify_model",
        jar="{{ params.jar }}",
        job_class="dev.modelsigning.pipeline.VerifyModelPipeline",
        runner="DirectRunner",
        deferrable=False,
        # A verification failure right after signing is a finding, not a flake.
        retries=0,
        pipeline_options={
            "model": MODEL_FROM_TRAINING,
            "verifier": "key",
            "publicKey": "{{ params.public_key }}",
        },
    )

    # model-signing: none (reads the job's result file)
    train_model_locally() >> sign_local >> [verify_local, record_signature(result_file=LOCAL_SIGN_RESULT)]

# ---------------------------------------------------------------------------------------------
# Variant 3: Dataflow Flex Template, signing with a key that never leaves Cloud KMS
# ---------------------------------------------------------------------------------------------
with DAG(
    dag_id="sign_after_training_dataflow_kms",
    description="Train a model, then sign it on Dataflow with a Cloud KMS key.",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    schedule=None,
    catchup=False,
    tags=["model-signing"],
    user_defined_macros={"run_key": run_key},
    params={
        "project": Param("my-project", type="string", description="Google Cloud project"),
        "region": Param("us-central1", type="string"),
        "template_spec": Param(
            "gs://my-templates-bucket/templates/model-signing-sign-latest.json", type="string"
        ),
        "model_root": Param("gs://my-models-bucket/models", type="string", pattern=r"^gs://.+"),
        "results": Param("gs://my-dataflow-bucket/model-signing/results", type="string", pattern=r"^gs://.+"),
        # The worker service account needs roles/cloudkms.signerVerifier on this key (nothing
        # else: the private key never leaves Cloud KMS, the workers only ask it to sign).
        "kms_key": Param(
            "projects/my-project/locations/global/keyRings/models/cryptoKeys/signing/cryptoKeyVersions/1",
            type="string",
            pattern=r"^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+/cryptoKeyVersions/[^/]+$",
        ),
        "service_account": Param("model-signer@my-project.iam.gserviceaccount.com", type="string"),
        "temp_location": Param("gs://my-dataflow-bucket/tmp", type="string"),
    },
) as sign_on_dataflow_kms:
    # model-signing: none (training placeholder)
    @task(task_id="train_model")
    def train_model_for_kms(params=None, dag_run=None) -> str:
        return f"{params['model_root']}/{run_key(dag_run)}"

    # model-signing: sign
    sign_kms = DataflowStartFlexTemplateOperator(
        task_id="sign_model",
        project_id="{{ params.project }}",
        location="{{ params.region }}",
        deferrable=True,
        retries=2,
        body={
            "launchParameter": {
                "jobName": "sign-model-kms",
                "containerSpecGcsPath": "{{ params.template_spec }}",
                "parameters": {
                    "model": MODEL_FROM_TRAINING,
                    "signer": "gcp-kms",
                    "kmsKey": "{{ params.kms_key }}",
                    "resultFile": SIGN_RESULT,
                },
                "environment": {
                    "serviceAccountEmail": "{{ params.service_account }}",
                    "tempLocation": "{{ params.temp_location }}",
                },
            }
        },
    )

    # model-signing: none (reads the job's result file)
    train_model_for_kms() >> sign_kms >> record_signature(result_file=SIGN_RESULT)
