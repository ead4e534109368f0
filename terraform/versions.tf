# Provider and state settings. The S3 backend is configured per environment with
#   terraform init -backend-config=backend/<env>.hcl
# and each environment lives in its own workspace (dev, staging, prod).
terraform {
  required_version = ">= 1.6.0, < 2.0.0"

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

  backend "s3" {}
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
