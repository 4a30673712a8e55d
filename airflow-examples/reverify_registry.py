"""Re-verify every signed model of a registry, every day; fail when any model does not verify.

* ``reverify_registry_dataflow``: the ``verify-registry`` Flex Template (templates/README.md).
  The pipeline writes ``<output>/report.jsonl`` and ``<output>/summary.json`` first, then fails
  the Dataflow job when a model failed, was unsigned (with requireSigned) or errored
  (``failOnInvalid`` defaults to true). The operator waits for the job, so the Airflow task and
  the DAG run fail too and your usual alerting (email_on_failure, on_failure_callback) fires.
* ``reverify_registry_local``: the same pipeline from the shaded jar with the DirectRunner;
  the main exits non-zero when a model failed, which fails the task.

Keys of the option dicts are checked against VerifyRegistryOptions by WorkflowArgsTest
(``# model-signing: verify-registry`` marks the blocks).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow import DAG
from airflow.models.param import Param
from airflow.providers.apache.beam.operators.beam import BeamRunJavaPipelineOperator
from airflow.providers.google.cloud.operators.dataflow import DataflowStartFlexTemplateOperator

DEFAULT_ARGS = {
    "retries": 0,  # a failed verification is a finding, not a flake: do not re-run it silently
    "email_on_failure": True,
    "email": ["ml-security@example.com"],
}

with DAG(
    dag_id="reverify_registry_dataflow",
    description="Daily re-verification of every signed model in the registry (Dataflow).",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    schedule="@daily",
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    dagrun_timeout=timedelta(hours=12),
    tags=["model-signing"],
    params={
        "project": Param("my-project", type="string"),
        "region": Param("us-central1", type="string"),
        "template_spec": Param(
            "gs://my-templates-bucket/templates/model-signing-verify-registry-latest.json",
            type="string",
        ),
        "registry": Param("gs://my-models-bucket/models", type="string", pattern=r"^(gs|s3)://.+"),
        "reports": Param("gs://my-reports-bucket/model-signing", type="string", pattern=r"^(gs|s3)://.+"),
        # Who is allowed to have signed the models (keyless signing on Dataflow: the signing
        # job's worker service account, issuer accounts.google.com).
        "identity": Param("model-signer@my-project.iam.gserviceaccount.com", type="string"),
        "identity_provider": Param("https://accounts.google.com", type="string"),
        "service_account": Param("model-verifier@my-project.iam.gserviceaccount.com", type="string"),
        "temp_location": Param("gs://my-dataflow-bucket/tmp", type="string"),
    },
) as reverify_on_dataflow:
    # model-signing: verify-registry
    DataflowStartFlexTemplateOperator(
        task_id="reverify_registry",
        project_id="{{ params.project }}",
        location="{{ params.region }}",
        wait_until_finished=True,  # a FAILED job raises, so the task and the run fail
        body={
            "launchParameter": {
                "jobName": "reverify-registry",
                "containerSpecGcsPath": "{{ params.template_spec }}",
                "parameters": {
                    "registry": "{{ params.registry }}",
                    "output": "{{ params.reports }}/{{ ds }}",
                    "verifier": "sigstore",
                    "identity": "{{ params.identity }}",
                    "identityProvider": "{{ params.identity_provider }}",
                    "requireSigned": "true",
                    "failOnInvalid": "true",
                },
                "environment": {
                    "serviceAccountEmail": "{{ params.service_account }}",
                    "tempLocation": "{{ params.temp_location }}",
                },
            }
        },
    )

with DAG(
    dag_id="reverify_registry_local",
    description="Daily re-verification of a registry with the shaded jar (DirectRunner).",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    schedule="@daily",
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["model-signing"],
    params={
        "jar": Param("/opt/model-signing/model-signing.jar", type="string"),
        "registry": Param("/data/models", type="string"),
        "reports": Param("/data/model-signing-reports", type="string"),
        "public_key": Param("/etc/model-signing/public-key.pem", type="string"),
    },
) as reverify_locally:
    # model-signing: verify-registry
    BeamRunJavaPipelineOperator(
        task_id="reverify_registry",
        jar="{{ params.jar }}",
        job_class="dev.modelsigning.pipeline.VerifyRegistryPipeline",
        runner="DirectRunner",
        pipeline_options={
            "registry": "{{ params.registry }}",
            "output": "{{ params.reports }}/{{ ds }}",
            "verifier": "key",
            "publicKey": "{{ params.public_key }}",
            "requireSigned": "true",
        },
    )
