"""What the fault tests make a separate portal process do (``python -m tests.proof.actions``):

  notify USER_ID KEY         create a notice in a transaction, as a sweep would (its e-mail is enqueued on commit)
  enqueue-engine             send the beat task (the deadline engine) to the broker
  engine NOW [--start-at T] [--die-in SWEEP]
                             run the deadline engine; wait until epoch T first (to start two at once);
                             --die-in: SIGKILL this process inside that sweep's transaction, before it commits
Prints one JSON line with what happened."""
import argparse
import json
import os
import signal
import time
import types

import django


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("notify")
    p.add_argument("user_id", type=int)
    p.add_argument("key")
    sub.add_parser("enqueue-engine")
    p = sub.add_parser("engine")
    p.add_argument("now")
    p.add_argument("--start-at", type=float)
    p.add_argument("--die-in")
    args = parser.parse_args()
    django.setup()

    from django.db import transaction
    from django.utils.dateparse import parse_datetime

    from core import engine, tasks
    from core.models import User
    from core.notify import notify

    started = time.monotonic()
    if args.cmd == "notify":
        user = User.objects.get(pk=args.user_id)
        with transaction.atomic():
            created = notify(users=[user], unit=user.unit, kind="proof", subject_key=args.key, title=f"Proof {args.key}")
        print(json.dumps({"created": created, "seconds": time.monotonic() - started}))
    elif args.cmd == "enqueue-engine":
        from core.tasks import run_deadline_engine

        print(json.dumps({"sent": tasks.enqueue(run_deadline_engine), "seconds": time.monotonic() - started}))
    else:
        if args.die_in:
            from core import registry

            registered = registry.deadline_sweeps()

            def sweep_then_die(sweep):
                def run_then_die(now):
                    result = sweep(now)
                    os.kill(os.getpid(), signal.SIGKILL)  # inside the sweep's transaction
                    return result

                return run_then_die

            engine.registry = types.SimpleNamespace(deadline_sweeps=lambda: [
                sweep_then_die(sweep) if f"{sweep.__module__}.{sweep.__name__}" == args.die_in else sweep
                for sweep in registered
            ])
        if args.start_at:
            time.sleep(max(0.0, args.start_at - time.time()))
        run = engine.run(parse_datetime(args.now))
        print(json.dumps({"summary": run.summary}))


if __name__ == "__main__":
    main()
