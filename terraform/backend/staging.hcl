# S3 state backend of the staging environment:
#   terraform -chdir=terraform init -backend-config=backend/staging.hcl
#   terraform -chdir=terraform workspace select -or-create staging
# Replace the bucket and table with the ones of the environment's account.
bucket         = "interaction-management-terraform-state-staging"
key            = "interaction-management/terraform.tfstate"
region         = "eu-west-1"
encrypt        = true
dynamodb_table = "interaction-management-terraform-locks"
