import threading
from dataclasses import replace

from shared.service import Periodic, Runtime
from shared.testing import effect_service, wait_until
from shared.worker import Worker


def test_a_periodic_job_runs_again_at_once_while_it_has_work_and_survives_its_failures(embedded_settings, tmp_path):
    backlog = [3]
    calls = []

    def drain(runtime):
        calls.append(backlog[0])
        if len(calls) == 1:
            raise RuntimeError("a bad moment")
        done = min(backlog[0], 1)
        backlog[0] -= done
        return done

    service, _ = effect_service()
    service = replace(service, periodic=(Periodic("drain", drain, interval=0.05),))
    runtime = Runtime(service, embedded_settings, database_url=f"sqlite:///{tmp_path / 'p.db'}")
    service.base.metadata.create_all(runtime.engine)
    stop = threading.Event()
    worker = Worker(runtime)
    worker.start(stop)
    try:
        wait_until(lambda: backlog[0] == 0 and len(calls) >= 6)
    finally:
        stop.set()
        worker.join(5)
        runtime.dispose()
