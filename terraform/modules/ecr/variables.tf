variable "name" {
  description = "Repository name."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key encrypting the images."
  type        = string
}

variable "keep_images" {
  description = "Tagged images to keep."
  type        = number
  default     = 30
}

variable "force_delete" {
  description = "Allow deleting the repository with images in it."
  type        = bool
  default     = false
}
