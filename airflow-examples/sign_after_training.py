"""Sign a model as soon as training has written it.

Two DAGs, same shape (train -> sign):

* ``sign_after_training_dataflow``: signs on Dataflow with the ``sign`` Flex Template
  (templates/README.md), keyless by default: the Dataflow worker service account is the
  signing identity.
* ``sign_after_training_local``: runs the shaded jar on the Airflow worker with the
  DirectRunner (no cloud needed), signs with a private key file, then verifies.

The training task is a placeholder that prints the model location as its last line, so it
lands in XCom; replace it with your training operator and keep pushing the model path.

Options reach the pipeline as ``--name=value`` (Beam reads no other form): the Flex Template
``parameters`` dict and ``pipeline_options`` of BeamRunJavaPipelineOperator are turned into
exactly that. Their keys are checked against the pipeline options by WorkflowArgsTest; the
``# model-signing: <command>`` comments tell the test which pipeline a block belongs to.
No secrets appear here: keys and passwords are files or variable names on the worker.
"""

from __future__ import annotations

import pendulum
from airflow import DAG
from airflow.models.param import Param
from airflow.providers.apache.beam.operators.beam import BeamRunJavaPipelineOperator
from airflow.providers.google.cloud.operators.dataflow import DataflowStartFlexTemplateOperator

try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2
    from airflow.operators.bash import BashOperator

MODEL_FROM_TRAINING = "{{ ti.xcom_pull(task_ids='train_model') }}"

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
    params={
        "project": Param("my-project", type="string", description="Google Cloud project"),
        "region": Param("us-central1", type="string"),
        "template_spec": Param(
            "gs://my-templates-bucket/templates/model-signing-sign-latest.json",
            type="string",
            description="Spec staged by templates/build-and-stage.sh",
        ),
        "model_root": Param("gs://my-models-bucket/models", type="string", pattern=r"^(gs|s3)://.+"),
        "service_account": Param(
            "model-signer@my-project.iam.gserviceaccount.com",
            type="string",
            description="Dataflow worker service account = the identity in the signing certificate",
        ),
        "temp_location": Param("gs://my-dataflow-bucket/tmp", type="string"),
        "method": Param("files", enum=["files", "shards"]),
    },
) as sign_on_dataflow:
    train = BashOperator(
        task_id="train_model",
        # Placeholder: train, write the model, print where it is (last line -> XCom).
        bash_command='echo "training..." && echo "{{ params.model_root }}/run-{{ ds_nodash }}"',
    )

    # model-signing: sign
    sign = DataflowStartFlexTemplateOperator(
        task_id="sign_model",
        project_id="{{ params.project }}",
        location="{{ params.region }}",
        wait_until_finished=True,  # the task fails when the signing job fails
        body={
            "launchParameter": {
                "jobName": "sign-model",  # the operator appends a unique suffix
                "containerSpecGcsPath": "{{ params.template_spec }}",
                "parameters": {
                    "model": MODEL_FROM_TRAINING,
                    "method": "{{ params.method }}",
                    "signer": "sigstore",
                    "identityTokenSource": "gcp-metadata",
                    "resultFile": MODEL_FROM_TRAINING + ".signing-result.json",
                },
                "environment": {
                    "serviceAccountEmail": "{{ params.service_account }}",
                    "tempLocation": "{{ params.temp_location }}",
                    "maxWorkers": 20,
                },
            }
        },
    )

    train >> sign

# ---------------------------------------------------------------------------------------------
# Variant 2: the shaded jar on the Airflow worker (DirectRunner)
# ---------------------------------------------------------------------------------------------
with DAG(
    dag_id="sign_after_training_local",
    description="Train a model, then sign and verify it with the shaded jar (DirectRunner).",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    schedule=None,
    catchup=False,
    tags=["model-signing"],
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
    train_local = BashOperator(
        task_id="train_model",
        bash_command='echo "training..." && echo "{{ params.model_root }}/run-{{ ds_nodash }}"',
    )

    # model-signing: sign
    sign_local = BeamRunJavaPipelineOperator(
        task_id="sign_model",
        jar="{{ params.jar }}",
        job_class="dev.modelsigning.pipeline.SignModelPipeline",
        runner="DirectRunner",
        pipeline_options={
            "model": MODEL_FROM_TRAINING,
            "signer": "key",
            "privateKey": "{{ params.private_key }}",
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
        pipeline_options={
            "model": MODEL_FROM_TRAINING,
            "verifier": "key",
            "publicKey": "{{ params.public_key }}",
        },
    )

    train_local >> sign_local >> verify_local
