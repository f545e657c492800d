"""The state the deadline engine leaves behind, read straight from a database, so
that a run under faults can be compared with a clean run on a copy of the same data.
Times differ from run to run; what must match is which rows were marked, which
events and notices exist, and how many of each."""
import psycopg2

QUERIES = {
    "dossiers": """SELECT code, status, overdue_at IS NOT NULL, warned_at IS NOT NULL FROM dossiers_dossier ORDER BY code""",
    "dossier_events": """SELECT d.code, e.action, count(*) FROM dossiers_dossierevent e
                         JOIN dossiers_dossier d ON d.id = e.dossier_id GROUP BY 1, 2 ORDER BY 1, 2""",
    "apologies": """SELECT d.code, a.promise_overdue_at IS NOT NULL FROM dossiers_apology a
                    JOIN dossiers_dossier d ON d.id = a.dossier_id ORDER BY 1""",
    "feedback": """SELECT code, status, overdue_at IS NOT NULL, warned_at IS NOT NULL FROM feedback_feedback ORDER BY code""",
    "feedback_events": """SELECT f.code, e.action, count(*) FROM feedback_feedbackevent e
                          JOIN feedback_feedback f ON f.id = e.feedback_id GROUP BY 1, 2 ORDER BY 1, 2""",
    "notifications": """SELECT u.username, n.kind, n.subject_key, n.emailed_at IS NOT NULL FROM core_notification n
                        JOIN core_user u ON u.id = n.user_id ORDER BY 1, 2, 3""",
}


def engine_state(url: str) -> dict:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        state = {}
        for name, sql in QUERIES.items():
            cur.execute(sql)
            state[name] = [tuple(r) for r in cur.fetchall()]
    conn.close()
    return state


def engine_marked_something(state: dict) -> bool:
    engine_actions = {"overdue", "apology_warning", "promise_overdue"}
    return any(r[2] or r[3] for r in state["dossiers"]) or any(r[1] in engine_actions for r in state["dossier_events"])
