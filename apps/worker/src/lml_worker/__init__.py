"""Periodic jobs: outbox processing and expiry sweepers."""

from lml_worker.dependencies import WorkerStartupError
from lml_worker.dependency_probe import dependency_probe
from lml_worker.jobs import Job, run_jobs, run_once
from lml_worker.worker import run_worker, serve_worker

__all__ = [
    "Job",
    "WorkerStartupError",
    "dependency_probe",
    "run_jobs",
    "run_once",
    "run_worker",
    "serve_worker",
]
