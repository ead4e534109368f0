# A task definition as `aws ecs describe-task-definition --query taskDefinition` prints it, made
# ready for `aws ecs register-task-definition --cli-input-json` with a new image ($image):
# the fields AWS sets itself are dropped (register rejects them), and the container running an
# image of the same repository gets the new one (or the only container, if none does yet).
# Fails when it cannot tell which container to change.
del(.taskDefinitionArn, .revision, .status, .requiresAttributes, .compatibilities,
    .registeredAt, .registeredBy, .deregisteredAt)
| ($image | sub(":[^:/]*$"; "")) as $repository
| (.containerDefinitions | map(.image | sub(":[^:/]*$"; "") == $repository) | index(true)) as $same
| (if $same != null then $same
   elif (.containerDefinitions | length) == 1 then 0
   else error("no container runs an image of \($repository) and there is more than one") end) as $i
| .containerDefinitions[$i].image = $image
