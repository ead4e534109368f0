# S3 state backend of the prod environment: the same settings as the deployment guide's
#   terraform init -backend-config="bucket=interaction-mgmt-tfstate-prod" -backend-config="key=infrastructure/terraform.tfstate" -backend-config="region=us-east-1"
# so "terraform init -backend-config=backend/prod.hcl" is a shorter equivalent. Then:
#   terraform workspace select -or-create prod
bucket = "interaction-mgmt-tfstate-prod"
key    = "infrastructure/terraform.tfstate"
region = "us-east-1"
