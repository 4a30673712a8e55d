#!/usr/bin/env bash
# Builds the launcher image(s) and stages the Flex Template spec files.
#
#   PROJECT=my-project REGION=us-central1 BUCKET=my-templates-bucket templates/build-and-stage.sh
#
# Environment (no secrets are needed or read):
#   PROJECT     Google Cloud project (required)
#   REGION      Artifact Registry / Dataflow region (required)
#   BUCKET      bucket for the template spec files, without gs:// (required)
#   REPOSITORY  Artifact Registry Docker repository (default: model-signing; must exist)
#   TAG         image and spec version (default: git short commit, or "dev")
#   TEMPLATES   which templates (default: every templates/*/metadata.json)
#   BUILDER     cloudbuild (default: gcloud builds submit) or docker (local docker build + push;
#               run 'gcloud auth configure-docker REGION-docker.pkg.dev' first)
#   SKIP_MAVEN  1 to reuse an existing pipeline/target/model-signing.jar
#   DRY_RUN     1 to print the commands instead of running them
#
# Specs land at gs://$BUCKET/templates/model-signing-<template>-$TAG.json (and -latest.json).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

: "${PROJECT:?set PROJECT to your Google Cloud project}"
: "${REGION:?set REGION, e.g. us-central1}"
: "${BUCKET:?set BUCKET to the bucket (no gs://) that holds template specs}"
REPOSITORY="${REPOSITORY:-model-signing}"
TAG="${TAG:-$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo dev)}"
BUILDER="${BUILDER:-cloudbuild}"
if [[ -z "${TEMPLATES:-}" ]]; then
  TEMPLATES="$(cd "$here" && for d in */metadata.json; do printf '%s ' "${d%/metadata.json}"; done)"
fi
image_prefix="${REGION}-docker.pkg.dev/${PROJECT}/${REPOSITORY}/model-signing"
jar="$root/pipeline/target/model-signing.jar"

run() {
  if [[ "${DRY_RUN:-0}" == 1 ]]; then
    printf '+'; printf ' %q' "$@"; printf '\n'
  else
    "$@"
  fi
}

main_class() {
  local MAIN_CLASS=""
  # shellcheck disable=SC1090
  . "$here/$1/template.env"
  [[ -n "$MAIN_CLASS" ]] || { echo "no MAIN_CLASS in templates/$1/template.env" >&2; exit 1; }
  echo "$MAIN_CLASS"
}

for t in $TEMPLATES; do
  [[ -f "$here/$t/metadata.json" && -f "$here/$t/template.env" ]] \
    || { echo "unknown template '$t' (need templates/$t/metadata.json and template.env)" >&2; exit 1; }
done

# 1. The shaded jar (pipelines + gs:// and s3:// filesystems + Dataflow runner).
if [[ "${SKIP_MAVEN:-0}" != 1 ]]; then
  run mvn -B -q -f "$root/pom.xml" -pl core,pipeline -am package -DskipTests
fi
if [[ "${DRY_RUN:-0}" != 1 && ! -f "$jar" ]]; then
  echo "missing $jar; run without SKIP_MAVEN=1" >&2
  exit 1
fi

# 2. A small build context: the Dockerfile, the jar and each template's main class.
ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
cp "$here/Dockerfile" "$here/cloudbuild.yaml" "$ctx/"
for t in $TEMPLATES; do
  mkdir -p "$ctx/$t"
  cp "$here/$t/template.env" "$ctx/$t/"
done
if [[ -f "$jar" ]]; then cp "$jar" "$ctx/model-signing.jar"; fi

# 3. One launcher image per template (same layers; FLEX_TEMPLATE_JAVA_MAIN_CLASS differs).
case "$BUILDER" in
  cloudbuild)
    run gcloud builds submit "$ctx" --project="$PROJECT" --region="$REGION" \
      --config="$ctx/cloudbuild.yaml" \
      --substitutions="_IMAGE_PREFIX=${image_prefix},_TAG=${TAG},_TEMPLATES=${TEMPLATES% }"
    ;;
  docker)
    for t in $TEMPLATES; do
      run docker build --build-arg "MAIN_CLASS=$(main_class "$t")" \
        -t "${image_prefix}-${t}:${TAG}" "$ctx"
      run docker push "${image_prefix}-${t}:${TAG}"
    done
    ;;
  *)
    echo "BUILDER must be cloudbuild or docker, not '$BUILDER'" >&2
    exit 1
    ;;
esac

# 4. The template spec files: image + parameters (metadata.json), for the Java SDK.
for t in $TEMPLATES; do
  for version in "$TAG" latest; do
    run gcloud dataflow flex-template build \
      "gs://${BUCKET}/templates/model-signing-${t}-${version}.json" \
      --project="$PROJECT" \
      --image="${image_prefix}-${t}:${TAG}" \
      --sdk-language=JAVA \
      --metadata-file="$here/$t/metadata.json"
  done
  echo "template $t ($(main_class "$t")): gs://${BUCKET}/templates/model-signing-${t}-${TAG}.json"
done
