# S3 state backend of the prod environment, the only way to initialise it:
#   terraform init -reconfigure -backend-config=backend/prod.hcl
#   terraform workspace select -or-create prod
# Bucket, key and region are the deployment guide's init line with the environment written out.
# allowed_account_ids ties this state to the environment's own AWS account (aws_account_id in
# environments/prod.tfvars): with credentials of any other account Terraform stops before it
# reads or writes the state ("Invalid account ID: AWS account ID not allowed").
bucket              = "interaction-mgmt-tfstate-prod"
key                 = "infrastructure/terraform.tfstate"
region              = "us-east-1"
allowed_account_ids = ["333333333333"]
