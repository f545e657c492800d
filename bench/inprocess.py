"""CPU per request of the pages under `make load`'s goals, in one process, without gunicorn or wrk:

    python -m bench.inprocess [--pages trivial tracking dashboard survey] [--n 1000] [--profile PAGE]

Django's test client sends each request through the whole middleware stack (bench settings, the
bench city of bench/city.py); the figure is the median over five batches of
``time.process_time()`` per request, so the machine's other processes (PostgreSQL, Redis, a
neighbour) do not count. It answers "did this change make the page cheaper?" in seconds, where a
`make load` run takes minutes and moves with the machine. The test client costs a little of its
own; compare pages with the trivial view measured in the same run, as `make load` does.
``--profile PAGE`` prints cProfile's 40 most expensive calls by CPU for that page.
The survey answers it POSTs are deleted, their counts taken back (bench/load.py)."""
import argparse
import cProfile
import pstats
import re
import statistics
import sys
import time
from urllib.parse import urlencode

from bench.common import bench_db_url, setup_django

PAGES = ("trivial", "tracking", "dashboard", "survey")
SURVEY = "/u/bench-0001/survey/cham-soc-giao-duc/"
ANSWER = {"access": 5, "procedure": 4, "staff": 5, "result": 4, "feedback_handling": 4, "overall": 5,
          "comment": "Rất hài lòng", "website": ""}


def request_for(page: str, db_url: str):
    """A function that makes one request of ``page`` and checks its status."""
    from django.test import Client

    from bench.pages import tracking_code
    from core.models import User

    client = Client()
    if page == "trivial":
        path, expected = "/bench/trivial/", 200
    elif page == "tracking":
        code, secret = tracking_code(db_url)
        path, expected = f"/track/{code}/?s={secret}", 200
    elif page == "dashboard":
        client.force_login(User.objects.get(username="principal-bench-0001"))
        path, expected = "/kpi/", 200
    else:
        form = client.get(SURVEY).content.decode()
        started = re.search(r'name="started" value="([^"]+)"', form).group(1)
        time.sleep(2.5)  # the signed start time must be older than a person's fastest tap
        body = urlencode({**ANSWER, "started": started})

        def answer():
            client.cookies.clear()  # a new visitor each time: no "answered" cookie
            response = client.post(SURVEY, body, content_type="application/x-www-form-urlencoded")
            assert response.status_code == 302, response.status_code

        return answer

    def get():
        response = client.get(path)
        assert response.status_code == expected, (path, response.status_code)

    return get


def cpu_ms(fn, n: int) -> float:
    """Median CPU milliseconds of ``fn()`` over five batches of ``n``, after a warm-up batch."""
    for _ in range(max(n // 5, 50)):
        fn()
    batches = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(n):
            fn()
        batches.append((time.process_time() - start) / n * 1000)
    return statistics.median(batches)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="*", choices=PAGES, default=list(PAGES))
    parser.add_argument("--n", type=int, default=1000, help="requests per batch")
    parser.add_argument("--profile", choices=PAGES)
    args = parser.parse_args()
    db_url = bench_db_url()
    setup_django(db_url)
    from bench.load import last_answer, take_back_answers

    first = last_answer(db_url)
    try:
        figures = {page: cpu_ms(request_for(page, db_url), args.n) for page in args.pages}
        for page, ms in figures.items():
            ratio = f"  ({ms / figures['trivial']:.1f}× the trivial view)" if "trivial" in figures else ""
            print(f"{page:<10} {ms:.3f} ms CPU a request{ratio}")
        if args.profile:
            fn = request_for(args.profile, db_url)
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for _ in range(args.n):
                fn()
            profile.disable()
            pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(40)
    finally:
        take_back_answers(after=first)


if __name__ == "__main__":
    main()
