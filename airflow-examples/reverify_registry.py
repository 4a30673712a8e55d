"""Re-verify every signed model of a registry, every day; fail the run when any model does not verify.

* ``reverify_registry_dataflow``: the ``verify-registry`` Flex Template (templates/README.md).
* ``reverify_registry_local``: the same pipeline from the shaded jar with the DirectRunner.

Both run the job with ``failOnInvalid=false``: the job then succeeds whenever it could check
the registry, and writes ``<report>/report.jsonl`` and ``<report>/summary.json``. The next task,
``check_report``, reads the summary and fails the DAG run with the counts
(AirflowFailException: no retries) when a model failed, was unsigned (requireSigned) or could
not be checked. So the two kinds of failure are told apart:

* the job task fails: infrastructure (quota, network, permissions): it is retried;
* check_report fails: a verification finding: never retried, alert on it.

Targets Airflow 2.10+ and 3.x, apache-airflow-providers-google 19.0.0+ and
apache-airflow-providers-apache-beam 6.1.1+. Option keys are checked against
VerifyRegistryOptions by WorkflowArgsTest (``# model-signing: verify-registry`` marks the
blocks) and every keyword argument against the providers' signatures by WorkflowCallsTest.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pendulum
from airflow.providers.apache.beam.operators.beam import BeamRunJavaPipelineOperator
from airflow.providers.google.cloud.operators.dataflow import DataflowStartFlexTemplateOperator

try:  # Airflow 3: the Task SDK
    from airflow.sdk import DAG, Param, task
except ImportError:  # Airflow 2.10
    from airflow import DAG
    from airflow.decorators import task
    from airflow.models.param import Param
try:  # Airflow 3.1+ (the Task SDK's own exception)
    from airflow.sdk.exceptions import AirflowFailException
except ImportError:  # Airflow 2.x and 3.0
    from airflow.exceptions import AirflowFailException

# Infrastructure failures of the job are retried; findings are raised by check_report, which
# never retries. Alert with on_failure_callback (or an Airflow 3 notifier) on the DAG.
DEFAULT_ARGS = {
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
}


def run_key(dag_run) -> str:
    """A path segment unique to this DAG run: <date>/<run id>.

    ``{{ ds }}`` is undefined for Airflow 3 runs without a logical date, and a manual re-run on
    the same day would overwrite the scheduled run's report.
    """
    when = getattr(dag_run, "logical_date", None) or getattr(dag_run, "run_after", None)
    run_id = re.sub(r"[^A-Za-z0-9._-]+", "-", dag_run.run_id).strip("-")
    return f"{when:%Y-%m-%d}/{run_id}"


def read_text(uri: str) -> str:
    """Reads a small gs:// object or local file."""
    if uri.startswith("gs://"):
        from airflow.providers.google.cloud.hooks.gcs import GCSHook

        bucket, _, name = uri[len("gs://") :].partition("/")
        return GCSHook().download(bucket_name=bucket, object_name=name).decode("utf-8")
    with open(uri, encoding="utf-8") as f:
        return f.read()


def summarize(summary: dict) -> dict:
    """Fails (no retry) when any model is not verified; otherwise returns the summary."""
    not_verified = {s: int(summary.get(s, 0)) for s in ("failed", "unsigned", "error")}
    if sum(not_verified.values()) > 0:
        counts = ", ".join(f"{n} {s}" for s, n in not_verified.items())
        raise AirflowFailException(
            f"{sum(not_verified.values())} of {summary['models']} models did not verify"
            f" ({counts}; {summary.get('verified', 0)} verified); report: {summary['report']}"
        )
    return summary


# Pushes the summary (counts and report location) to XCom; retries=0 because a finding does not
# go away when re-read.
@task(task_id="check_report", retries=0)
def check_report(summary_file: str) -> dict:
    return summarize(json.loads(read_text(summary_file)))


REPORT_DIR = "{{ params.reports }}/{{ run_key(dag_run) }}"

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
    user_defined_macros={"run_key": run_key},
    params={
        "project": Param("my-project", type="string"),
        "region": Param("us-central1", type="string"),
        "template_spec": Param(
            "gs://my-templates-bucket/templates/model-signing-verify-registry-latest.json",
            type="string",
        ),
        "registry": Param("gs://my-models-bucket/models", type="string", pattern=r"^(gs|s3)://.+"),
        # check_report reads <reports>/<run>/summary.json through the Google connection.
        "reports": Param("gs://my-reports-bucket/model-signing", type="string", pattern=r"^gs://.+"),
        # Who is allowed to have signed the models (keyless signing on Dataflow: the signing
        # job's worker service account, issuer accounts.google.com).
        "identity": Param("model-signer@my-project.iam.gserviceaccount.com", type="string"),
        "identity_provider": Param("https://accounts.google.com", type="string"),
        "service_account": Param("model-verifier@my-project.iam.gserviceaccount.com", type="string"),
        "temp_location": Param("gs://my-dataflow-bucket/tmp", type="string"),
    },
) as reverify_on_dataflow:
    # model-signing: verify-registry
    reverify = DataflowStartFlexTemplateOperator(
        task_id="reverify_registry",
        project_id="{{ params.project }}",
        location="{{ params.region }}",
        # Wait in the triggerer; explicit because deferrable=True with wait_until_finished=True
        # raises at DAG parse time on deployments that default operators to deferrable.
        deferrable=True,
        body={
            "launchParameter": {
                "jobName": "reverify-registry",
                "containerSpecGcsPath": "{{ params.template_spec }}",
                "parameters": {
                    "registry": "{{ params.registry }}",
                    "report": REPORT_DIR,
                    "verifier": "sigstore",
                    "identity": "{{ params.identity }}",
                    "identityProvider": "{{ params.identity_provider }}",
                    "requireSigned": "true",
                    # Findings go to the report and check_report, not to the job's exit status,
                    # so a retry of this task only ever repeats an infrastructure failure.
                    "failOnInvalid": "false",
                },
                "environment": {
                    "serviceAccountEmail": "{{ params.service_account }}",
                    "tempLocation": "{{ params.temp_location }}",
                },
            }
        },
    )

    # model-signing: none (reads the report)
    reverify >> check_report(summary_file=REPORT_DIR + "/summary.json")

with DAG(
    dag_id="reverify_registry_local",
    description="Daily re-verification of a registry with the shaded jar (DirectRunner).",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    schedule="@daily",
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["model-signing"],
    user_defined_macros={"run_key": run_key},
    params={
        "jar": Param("/opt/model-signing/model-signing.jar", type="string"),
        "registry": Param("/data/models", type="string"),
        "reports": Param("/data/model-signing-reports", type="string"),
        "public_key": Param("/etc/model-signing/public-key.pem", type="string"),
    },
) as reverify_locally:
    # model-signing: verify-registry
    reverify_local = BeamRunJavaPipelineOperator(
        task_id="reverify_registry",
        jar="{{ params.jar }}",
        job_class="dev.modelsigning.pipeline.VerifyRegistryPipeline",
        runner="DirectRunner",
        # Run the JVM on this worker (it has the jar, the registry and the key), not in the
        # triggerer, even where operators default to deferrable.
        deferrable=False,
        pipeline_options={
            "registry": "{{ params.registry }}",
            "report": REPORT_DIR,
            "verifier": "key",
            "publicKey": "{{ params.public_key }}",
            "requireSigned": "true",
            "failOnInvalid": "false",
        },
    )

    # model-signing: none (reads the report)
    reverify_local >> check_report(summary_file=REPORT_DIR + "/summary.json")
