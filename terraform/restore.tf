# The database the API and the migrations use: the instance Terraform manages, or a copy
# restored to a point in time by ops/restore-to-time.sh (created outside Terraform, in the
# same subnet group, security groups, parameter group and KMS key). Naming the copy in
# db_instance_identifier_override (environments/<env>.tfvars) keeps every later apply and
# deploy on it: DB_HOST, DB_PORT and the owner's secret are read from the copy itself.

data "aws_db_instance" "restored" {
  count                  = var.db_instance_identifier_override == "" ? 0 : 1
  db_instance_identifier = var.db_instance_identifier_override
}

locals {
  db_restored          = var.db_instance_identifier_override != ""
  db_instance_id       = local.db_restored ? var.db_instance_identifier_override : module.database.instance_id
  db_address           = local.db_restored ? data.aws_db_instance.restored[0].address : module.database.address
  db_port              = local.db_restored ? data.aws_db_instance.restored[0].port : module.database.port
  db_endpoint          = local.db_restored ? data.aws_db_instance.restored[0].endpoint : module.database.endpoint
  db_master_secret_arn = local.db_restored ? data.aws_db_instance.restored[0].master_user_secret[0].secret_arn : module.database.master_secret_arn
  # The managed replica streams from the managed instance: on a restored copy every read is the copy's.
  db_read_address = local.db_restored ? "" : module.database.read_replica_address

  # Each database its own cache namespace: Redis holds Finder pages and site generations of the
  # database they were read from, newer than anything in a copy restored to an earlier time.
  db_cache_prefix = local.db_restored ? "ims:${var.db_instance_identifier_override}:" : "ims:"
}
