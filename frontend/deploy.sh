#!/usr/bin/env bash
# Publishes the web app to a deployed stack (after `sam deploy`): builds frontend/dist, uploads it to the stack's
# private SpaBucket — hashed assets cached for a year, index.html revalidated on every visit — writes config.json
# from the stack's outputs, and has CloudFront drop its copies of the entry files.
#   frontend/deploy.sh                  # the dev stack (samconfig.toml [default]: smallpay-dev)
#   frontend/deploy.sh smallpay-prod
# Needs the AWS CLI v2 with credentials, and Node.js 20.
set -euo pipefail
cd "$(dirname "$0")"
stack="${1:-smallpay-dev}"

stack_value() {
  aws cloudformation describe-stacks --stack-name "$stack" --query "Stacks[0].$1" --output text
}
output() { stack_value "Outputs[?OutputKey=='$1'].OutputValue | [0]"; }

bucket="$(output SpaBucketName)"
if [ -z "$bucket" ] || [ "$bucket" = "None" ]; then
  echo "deploy: stack $stack has no SpaBucketName output; deploy the template first (sam build && sam deploy)" >&2
  exit 1
fi
distribution="$(output SpaDistributionId)"
spa_url="$(output SpaUrl)"
config="$(API_URL="$(output ApiUrl)" REGION="$(output Region)" POOL="$(output UserPoolId)" CLIENT="$(output UserPoolClientId)" node -e '
  const e = process.env;
  console.log(JSON.stringify({ apiUrl: e.API_URL.replace(/\/+$/, ""), region: e.REGION, userPoolId: e.POOL, userPoolClientId: e.CLIENT }));
')"

# npm install, not npm ci: the registry copy here lists only some of rollup's optional platform packages, so
# npm ci calls the lock file out of sync; npm install follows the same lock file and leaves it unchanged.
npm install --no-audit --no-fund --loglevel=error
npm run --silent build

# Assets first (their names change with their content), then the entry points that name them. Old assets stay, so
# a page loaded before this deploy keeps working.
aws s3 sync dist/assets "s3://$bucket/assets" --cache-control "public, max-age=31536000, immutable" --only-show-errors
aws s3 sync dist "s3://$bucket" --exclude "assets/*" --exclude "config.json" --cache-control "no-cache" --delete --only-show-errors
printf '%s\n' "$config" | aws s3 cp - "s3://$bucket/config.json" --content-type application/json --cache-control no-cache --only-show-errors
aws cloudfront create-invalidation --distribution-id "$distribution" --paths /index.html /config.json / >/dev/null

echo "deploy: the web app is at $spa_url (config.json: $config)"

# The API answers browsers from one origin only (CORS AllowOrigins = the SpaOrigin parameter).
origin="$(stack_value "Parameters[?ParameterKey=='SpaOrigin'].ParameterValue | [0]")"
if [ "$origin" != "$spa_url" ]; then
  echo "deploy: note: the API's CORS allows $origin, not $spa_url. Add SpaOrigin=$spa_url (or your own domain) to" >&2
  echo "        the parameter_overrides of samconfig.toml and run sam deploy once more." >&2
fi
