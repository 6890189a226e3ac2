"""Celery settings for tuoke's workers; `dagster_celery.app` imports this module when it is on
PYTHONPATH (see README "When one machine is not enough")."""

import os

broker_url = os.environ["TUOKE_CELERY_BROKER"]
result_backend = os.environ["TUOKE_CELERY_BACKEND"]
worker_prefetch_multiplier = 1
task_acks_late = True
