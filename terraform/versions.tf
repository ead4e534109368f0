# Provider and state settings. The S3 backend's bucket, key and region come from
# the deployment guide's init line (or backend/<env>.hcl, the same values):
#   terraform init -backend-config="bucket=interaction-mgmt-tfstate-<env>" \
#     -backend-config="key=infrastructure/terraform.tfstate" -backend-config="region=us-east-1"
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

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Project     = "interaction-management"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
