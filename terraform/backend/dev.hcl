# S3 state backend of the dev environment: the same settings as the deployment guide's
#   terraform init -backend-config="bucket=interaction-mgmt-tfstate-dev" -backend-config="key=infrastructure/terraform.tfstate" -backend-config="region=us-east-1"
# so "terraform init -backend-config=backend/dev.hcl" is a shorter equivalent. Then:
#   terraform workspace select -or-create dev
bucket = "interaction-mgmt-tfstate-dev"
key    = "infrastructure/terraform.tfstate"
region = "us-east-1"
