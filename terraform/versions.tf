# Provider and state settings. The S3 backend's bucket, key, region and account come from
# backend/<env>.hcl (the deployment guide's init line with the environment written out,
# plus the account the state belongs to):
#   terraform init -reconfigure -backend-config=backend/<env>.hcl
# and each environment lives in its own workspace (dev, staging, prod).
# Terraform 1.10 or later: state locking uses a lock file next to the state in the
# same bucket (use_lockfile), so the guide's init line needs no lock table.
terraform {
  required_version = ">= 1.10.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }
}

# Only the environment's own account: with credentials of another, plan and apply stop
# before reading anything ("AWS account ID not allowed"). Together with the backend file's
# allowed_account_ids and the workspace guard in main.tf, the state bucket, the workspace,
# the tfvars and the credentials must all be the same environment's.
provider "aws" {
  region              = var.aws_region
  allowed_account_ids = [var.aws_account_id]

  default_tags {
    tags = {
      Project     = "interaction-management"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
