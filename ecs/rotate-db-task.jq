# The migration task definition (owner credentials, same image) turned into the database step of a
# password rotation: it only runs `flask grant-app-role` for the role and password of the API's secret
# version labelled AWSPENDING ($arn: that secret), which no running task uses yet.
{
  family: (.family + "-rotate-db"),
  taskRoleArn, executionRoleArn, networkMode, requiresCompatibilities, cpu, memory, runtimePlatform, volumes,
  containerDefinitions: [
    .containerDefinitions[0]
    | .command = ["flask", "--app", "ims", "grant-app-role", "--role-env", "APP_DB_USER",
                  "--password-env", "APP_DB_PASSWORD"]
    | .secrets = ([(.secrets // [])[] | select(.name != "APP_DB_USER" and .name != "APP_DB_PASSWORD")] + [
        {name: "APP_DB_USER", valueFrom: ($arn + ":username:AWSPENDING:")},
        {name: "APP_DB_PASSWORD", valueFrom: ($arn + ":password:AWSPENDING:")}
      ])
  ]
}
| with_entries(select(.value != null))
