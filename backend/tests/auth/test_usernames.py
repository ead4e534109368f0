"""The username rule every way of making an account applies: never an e-mail address."""
from __future__ import annotations

import pytest

from ims.auth import usernames
from ims.errors import UnprocessableEntity


@pytest.mark.parametrize("name", ["dana", "Dana.Scully", "d_s-1", "ab", "x" * 150])
def test_plain_names_pass_and_are_stored_lower_cased(name):
    assert usernames.problems(name) == [] and usernames.checked(f" {name} ") == name.lower()


@pytest.mark.parametrize("name, says", [("dana@example.org", "e-mail"), ("@dana", "e-mail"), ("dana@", "e-mail"),
                                        ("dana scully", "letters"), ("dana+1", "letters"), ("d", "2 to 150"),
                                        ("x" * 151, "2 to 150"), ("", "2 to 150")])
def test_emails_and_odd_names_are_refused_with_a_reason(name, says):
    assert any(says in problem for problem in usernames.problems(name))
    with pytest.raises(UnprocessableEntity) as refused:
        usernames.checked(name)
    assert set(refused.value.details) == {"username"}


@pytest.mark.parametrize("email, derived", [("Dana.Scully@example.org", "dana.scully"),
                                            ("first+tag@x.org", "first-tag"), ("a@x.org", "user-a"),
                                            ("+++@x.org", "user"), ("o'brien@x.org", "o-brien")])
def test_a_username_derived_from_an_email_follows_the_rule(email, derived):
    assert usernames.from_email(email) == derived and usernames.problems(derived) == []
