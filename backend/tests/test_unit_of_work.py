"""The unit-of-work decorator against real PostgreSQL: one commit per use case, nested use cases
join the outer one, and a failure anywhere leaves nothing behind."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from ims.auth.models import User
from ims.extensions import db
from ims.sites.models import Site
from ims.unit_of_work import in_unit_of_work, transaction


def _site_names() -> list[str]:
    db.session.rollback()  # read what is committed, not what this session holds
    return sorted(db.session.execute(sa.select(Site.name)).scalars())


@transaction
def _add_site(name: str) -> str:
    assert in_unit_of_work()
    db.session.add(Site(name=name))
    db.session.flush()
    return name


@transaction
def _add_two_then(fail: bool) -> None:
    _add_site("first")
    _add_site("second")  # nested: joins this unit, commits nothing by itself
    if fail:
        raise RuntimeError("the use case failed after its writes")


def test_a_use_case_commits_when_it_returns(app):
    with app.app_context():
        assert not in_unit_of_work()
        assert _add_site("alpha") == "alpha"
        assert not in_unit_of_work()
        assert _site_names() == ["alpha"]


def test_nested_use_cases_commit_once_with_the_outer_one(app):
    with app.app_context():
        _add_two_then(fail=False)
        assert _site_names() == ["first", "second"]


def test_a_failure_after_nested_writes_rolls_everything_back(app):
    with app.app_context():
        with pytest.raises(RuntimeError):
            _add_two_then(fail=True)
        assert not in_unit_of_work()
        assert _site_names() == []


def test_a_failed_commit_raises_and_leaves_nothing(app):
    @transaction
    def duplicate_usernames() -> None:
        db.session.add(Site(name="twin"))
        db.session.add(User(username="twin", email="one@example.com", display_name="One"))
        db.session.flush()
        # unique username: fails at the final flush, inside commit
        db.session.add(User(username="twin", email="two@example.com", display_name="Two"))

    with app.app_context():
        with pytest.raises(sa.exc.IntegrityError):
            duplicate_usernames()
        assert _site_names() == []
        assert db.session.execute(sa.select(User.id)).first() is None
