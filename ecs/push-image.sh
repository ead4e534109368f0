#!/usr/bin/env bash
# Push one image to ECR, or reuse the image already there under the same tag.
#
# The repositories' tags are immutable and the tag is ${VERSION}-${ENV}-${GIT_HASH}: a second
# `docker push` of it fails, so a deploy re-run on the same commit would stop at the push. This
# looks the tag up first (`aws ecr describe-images`): when it is there, the image is not pushed
# again but pulled, so the local tag names the very image ECS will run (and the frontend's assets
# are copied out of it). A push that loses a race to another run of the same commit counts as
# reused when the tag is there afterwards. Any other error (no such repository, access denied)
# stops the script.
#
#   usage: ecs/push-image.sh REGISTRY/REPOSITORY:TAG   (logged in to the registry, image tagged locally)
set -euo pipefail

if [ "$#" -ne 1 ] || [[ "$1" != */*:* ]]; then
  echo "usage: $0 REGISTRY/REPOSITORY:TAG" >&2
  exit 2
fi
image="$1"
tag="${image##*:}"
repository="${image%:*}"
repository="${repository#*/}"   # the name after the registry host, e.g. interaction-mgmt/backend
errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT

# Prints the digest of the image ECR holds under the tag; fails with ImageNotFoundException in
# $errors when there is none.
pushed_digest() {
  aws ecr describe-images --repository-name "$repository" --image-ids "imageTag=${tag}" \
    --query 'imageDetails[0].imageDigest' --output text 2>"$errors"
}

reuse() {
  echo "${image} is already in ECR (${1}): not pushed again, pulling it"
  docker pull "$image"
}

if digest="$(pushed_digest)"; then
  reuse "$digest"
  exit 0
fi
if ! grep -q ImageNotFoundException "$errors"; then
  cat "$errors" >&2
  echo "::error::cannot tell whether ${image} is in ECR" >&2
  exit 1
fi
if docker push "$image"; then
  exit 0
fi
if digest="$(pushed_digest)"; then
  echo "another run pushed ${image} meanwhile"
  reuse "$digest"
  exit 0
fi
echo "::error::pushing ${image} failed" >&2
exit 1
