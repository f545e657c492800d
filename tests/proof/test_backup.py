"""make backup / make restore: a round trip into a scratch database gives back the
same rows (counts of every table, checksum of the dossiers) and the same media."""
import hashlib

import psycopg2
import pytest

from tests.factories import ProcedureFactory, StaffFactory, receive_dossier
from tests.proof._pg import db_url, run_script, scratch_database

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DOSSIER_CHECKSUM = "SELECT count(*), md5(coalesce(string_agg(d::text, '|' ORDER BY d.id), '')) FROM dossiers_dossier d"
TABLES = """SELECT table_name FROM information_schema.tables
            WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"""


def snapshot(url: str) -> dict:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(TABLES)
        tables = [r[0] for r in cur.fetchall()]
        counts = {}
        for table in tables:
            cur.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cur.fetchone()[0]
        cur.execute(DOSSIER_CHECKSUM)
        dossiers = cur.fetchone()
    conn.close()
    return {"counts": counts, "dossiers": dossiers}


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def portal_with_data(tmp_path):
    staff = StaffFactory()
    procedure = ProcedureFactory(unit=staff.unit)
    for i in range(5):
        receive_dossier(procedure=procedure, actor=staff, applicant_name=f"Nguyễn Văn {i}", request_summary="Xác nhận")
    media = tmp_path / "media"
    (media / "evidence" / "2026").mkdir(parents=True)
    upload = media / "evidence" / "2026" / "bao-cao-cchc.pdf"
    upload.write_bytes(b"%PDF-1.4 minh chung " + bytes(range(256)) * 40)
    return media, upload


def test_backup_and_restore_round_trip_gives_the_same_rows_and_media(portal_with_data, tmp_path):
    media, upload = portal_with_data
    source = snapshot(db_url())
    assert source["dossiers"][0] == 5

    backups = tmp_path / "backups"
    made = run_script("backup.sh", env={"DATABASE_URL": db_url(), "MEDIA_ROOT": str(media), "BACKUP_ROOT": str(backups)})
    folder = made.stdout.strip().splitlines()[-1]
    assert {p.name for p in (backups / folder.rsplit("/", 1)[-1]).iterdir()} == {"db.dump", "media.tar.gz", "MANIFEST"}

    restored_media = tmp_path / "restored-media"
    restored_media.mkdir()
    (restored_media / "stale.txt").write_text("not in the backup")
    with scratch_database(f"{source_name()}_restore") as target:
        run_script("restore.sh", "--yes", env={"DATABASE_URL": target, "MEDIA_ROOT": str(restored_media),
                                                "BACKUP_ROOT": str(backups)})
        assert snapshot(target) == source

        # --clean: restoring over a changed database gives the backup back, not a merge.
        with psycopg2.connect(target) as conn, conn.cursor() as cur:
            cur.execute("DELETE FROM dossiers_dossierevent; DELETE FROM dossiers_dossier WHERE id = (SELECT min(id) FROM dossiers_dossier)")
        conn.close()
        run_script("restore.sh", "--yes", folder, env={"DATABASE_URL": target, "MEDIA_ROOT": str(restored_media)})
        assert snapshot(target) == source

    copy = restored_media / "evidence" / "2026" / "bao-cao-cchc.pdf"
    assert digest(copy) == digest(upload)
    assert not (restored_media / "stale.txt").exists()


def source_name() -> str:
    return db_url().rsplit("/", 1)[-1]


@pytest.mark.parametrize("url", ["", "sqlite:////tmp/db.sqlite3", "mysql://root@127.0.0.1/cchc"])
def test_backup_and_restore_refuse_anything_but_postgresql(url, tmp_path):
    for script, args in (("backup.sh", ()), ("restore.sh", ("--yes",))):
        result = run_script(script, *args, env={"DATABASE_URL": url, "BACKUP_ROOT": str(tmp_path)}, check=False)
        assert result.returncode == 2
        assert "refusing" in result.stderr and "PostgreSQL" in result.stderr


def test_restore_refuses_a_tampered_backup(portal_with_data, tmp_path):
    media, _ = portal_with_data
    backups = tmp_path / "backups"
    folder = run_script("backup.sh", env={"DATABASE_URL": db_url(), "MEDIA_ROOT": str(media),
                                          "BACKUP_ROOT": str(backups)}).stdout.strip().splitlines()[-1]
    with open(f"{folder}/db.dump", "ab") as dump:
        dump.write(b"x")
    result = run_script("restore.sh", "--yes", folder, env={"DATABASE_URL": db_url("cchc_never_touched")}, check=False)
    assert result.returncode == 2 and "checksums" in result.stderr
