# S3 state backend of the staging environment, the only way to initialise it:
#   terraform init -reconfigure -backend-config=backend/staging.hcl
#   terraform workspace select -or-create staging
# Bucket, key and region are the deployment guide's init line with the environment written out.
# allowed_account_ids ties this state to the environment's own AWS account (aws_account_id in
# environments/staging.tfvars): with credentials of any other account Terraform stops before it
# reads or writes the state ("Invalid account ID: AWS account ID not allowed").
bucket              = "interaction-mgmt-tfstate-staging"
key                 = "infrastructure/terraform.tfstate"
region              = "us-east-1"
allowed_account_ids = ["222222222222"]
