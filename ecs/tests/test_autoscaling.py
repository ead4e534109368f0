"""Both colours are App Auto Scaling targets (terraform/modules/api_service). A deploy with
--scale-down-old leaves the old colour at 0 tasks for good, instead of App Auto Scaling raising it
straight back to its minimum; the colour that takes traffic always scales like the live one."""

from conftest import image

from ims_deploy import errors


def test_scale_down_old_takes_the_old_colour_out_of_autoscaling_range(env, cli, scaling):
    register, of = scaling

    result = cli("deploy", "--var", f"IMAGE={image('v2')}", "--scale-down-old")

    assert result.code == errors.OK, result.err
    assert env.live_colour() == "green"
    assert of("blue") == (0, 6) and env.service("blue")["desiredCount"] == 0
    assert of("green") == (2, 6) and env.service("green")["desiredCount"] == 2
    assert "scaling: blue service autoscales between 0 and 6 task(s)" in result.err


def test_the_colour_taking_traffic_gets_the_live_colours_range_back(env, cli, scaling):
    register, of = scaling
    assert cli("deploy", "--var", f"IMAGE={image('v2')}", "--scale-down-old").code == errors.OK  # blue: 0..6

    again = cli("deploy", "--var", f"IMAGE={image('v3')}", "--scale-down-old")

    assert again.code == errors.OK, again.err
    assert env.live_colour() == "blue"
    assert of("blue") == (2, 6) and env.service("blue")["desiredCount"] == 2  # never left at min 0 while live
    assert of("green") == (0, 6) and env.service("green")["desiredCount"] == 0
    scaled = again.err.index("scaling: blue service autoscales between 2 and 6 task(s)")
    assert scaled < again.err.index("update: blue service")


def test_rollback_to_a_scaled_down_colour_restores_its_range_first(env, cli, scaling):
    register, of = scaling
    assert cli("deploy", "--var", f"IMAGE={image('v2')}", "--scale-down-old").code == errors.OK

    result = cli("rollback")

    assert result.code == errors.OK, result.err
    assert env.live_colour() == "blue"
    assert of("blue") == (2, 6) and env.service("blue")["desiredCount"] == 2


def test_without_scalable_targets_nothing_about_scaling_is_touched(env, cli):
    result = cli("deploy", "--var", f"IMAGE={image('v2')}", "--scale-down-old")

    assert result.code == errors.OK, result.err
    assert not any(call.startswith("application-autoscaling.Register") for call in result.mutating)
    assert env.service("blue")["desiredCount"] == 0
