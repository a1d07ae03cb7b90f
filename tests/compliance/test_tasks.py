"""Jobs of the compliance domain: the reconciler and the daily sweep."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coverwatch.compliance.models import Evaluation
from coverwatch.compliance.tasks import reconcile, sweep
from coverwatch.db import session_scope, utcnow
from coverwatch.demo.company import seed
from coverwatch.vendors.models import ProjectVendor


def test_reconciler_picks_up_work_left_dirty_by_a_crash(engine: object) -> None:
    seed()
    with session_scope() as session:
        pv = session.scalars(select(ProjectVendor).order_by(ProjectVendor.id)).first()
        assert pv is not None
        pv_id = pv.id
        # As if the process died after committing the change but before enqueuing the job.
        pv.dirty_since = utcnow() - timedelta(minutes=5)
        before = len(list(session.scalars(select(Evaluation.id))))
    assert reconcile() == [pv_id]
    with session_scope() as session:
        refreshed = session.get(ProjectVendor, pv_id)
        assert refreshed is not None and refreshed.dirty_since is None
        evaluations = list(session.scalars(select(Evaluation).order_by(Evaluation.id)))
        assert len(evaluations) == before + 1
        assert evaluations[-1].trigger == "reconcile"
    assert reconcile() == []


def test_recently_dirty_work_is_left_to_its_own_job(engine: object) -> None:
    seed()
    with session_scope() as session:
        pv = session.scalars(select(ProjectVendor)).first()
        assert pv is not None
        pv.dirty_since = utcnow()
    assert reconcile() == []


def test_sweep_evaluates_every_tracked_vendor(engine: object) -> None:
    seed()
    with session_scope() as session:
        tracked = len(list(session.scalars(select(ProjectVendor.id))))
    assert sweep() == tracked
