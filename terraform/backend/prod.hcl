# S3 state backend of the prod environment:
#   terraform -chdir=terraform init -backend-config=backend/prod.hcl
#   terraform -chdir=terraform workspace select -or-create prod
# Replace the bucket and table with the ones of the environment's account.
bucket         = "interaction-management-terraform-state-prod"
key            = "interaction-management/terraform.tfstate"
region         = "eu-west-1"
encrypt        = true
dynamodb_table = "interaction-management-terraform-locks"
