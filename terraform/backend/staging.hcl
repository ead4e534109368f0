# S3 state backend of the staging environment: the same settings as the deployment guide's
#   terraform init -backend-config="bucket=interaction-mgmt-tfstate-staging" -backend-config="key=infrastructure/terraform.tfstate" -backend-config="region=us-east-1"
# so "terraform init -backend-config=backend/staging.hcl" is a shorter equivalent. Then:
#   terraform workspace select -or-create staging
bucket = "interaction-mgmt-tfstate-staging"
key    = "infrastructure/terraform.tfstate"
region = "us-east-1"
