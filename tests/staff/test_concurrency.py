import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from followup.models import ActivityYearTotal
from followup.progress import progress_for
from followup.services import log_event
from municipalities.models import Role
from promises.models import PeriodStatus
from tests import factories

THREADS = 8
EVENTS_PER_THREAD = 5


# serialized_rollback: the flush after a transactional test would drop the reference data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_logging_on_one_activity_loses_no_count():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers; this runs in the PostgreSQL run of make test.")
    today = timezone.localdate()
    period = factories.period(
        "0687",
        starts_on=today.replace(month=1, day=1),
        ends_on=today.replace(month=12, day=31),
        status=PeriodStatus.ACTIVE,
    )
    activity = factories.activity(period, organisations=[factories.police_organisation()])
    police = factories.police_organisation()
    users = [factories.member(police, Role.REPORTER) for _ in range(THREADS)]
    start = threading.Barrier(THREADS)
    failures = []

    def log_many(user):
        try:
            start.wait()
            for _ in range(EVENTS_PER_THREAD):
                log_event(activity, by=user, occurred_on=today, organisation=police, quantity=2)
        except Exception as error:  # reported below; a thread's exception is otherwise lost
            failures.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=log_many, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    progress = progress_for([activity])[activity.pk]
    totals = ActivityYearTotal.objects.get(activity=activity, year=today.year)
    assert failures == []
    assert progress.done_total == THREADS * EVENTS_PER_THREAD * 2
    # The triggers' upserts of the same yearly total, from eight transactions at once.
    assert (totals.events, totals.quantity) == (THREADS * EVENTS_PER_THREAD, progress.done_total)
