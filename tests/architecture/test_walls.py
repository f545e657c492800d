"""The walls between the apps (docs/architecture.md): checked here so that a change
that breaks one fails the suite with a message that names it."""
import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = ("dossiers", "surveys", "feedback", "kpi")


def _lint_imports() -> str:
    found = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    return found


def test_import_linter_contracts_are_kept():
    """.importlinter: core imports no domain app; only kpi imports kpi; dossiers imports
    neither surveys nor feedback; no cycle between the apps."""
    result = subprocess.run([_lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    broken = [line for line in result.stdout.splitlines() if line.rstrip().endswith("BROKEN")]
    assert result.returncode == 0, "import walls broken: " + "; ".join(broken) + "\n" + result.stdout[-3000:]
    assert "0 broken" in result.stdout


def _python_files(folder: Path):
    return sorted(p for p in folder.rglob("*.py") if "locale" not in p.parts)


def test_core_names_no_domain_app_even_by_a_dotted_string():
    """import_string("kpi.public.section") or apps.get_model("surveys", ...) in core would
    slip past import-linter: core runs what apps register (core/registry.py) instead."""
    naming = re.compile(rf"^({'|'.join(DOMAIN_APPS)})(\.|$)")
    offenders = []
    for path in _python_files(ROOT / "core"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and naming.match(node.value):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    assert not offenders, "core names a domain app: " + ", ".join(offenders)


# What only services write: the lifecycle status and the deadline engine's flags.
STATE_FIELDS = {"status", "timeliness", "overdue_at", "warned_at", "promise_overdue_at", "remaining_days"}
# The thin layers: they validate, call one service or selector, render.
THIN_MODULES = ("views.py", "api.py", "admin.py", "forms.py", "tasks.py", "serializers.py", "export_views.py",
                "tracking.py", "feeds.py")
WRITING_CALLS = {"update", "create", "get_or_create", "update_or_create", "bulk_update"}


def _state_writes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        found += [(t.lineno, f".{t.attr} = ...") for t in targets
                  if isinstance(t, ast.Attribute) and t.attr in STATE_FIELDS]
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name == "setattr" and len(node.args) > 1 and getattr(node.args[1], "value", None) in STATE_FIELDS:
            found.append((node.lineno, f"setattr(..., {node.args[1].value!r})"))
        if name in WRITING_CALLS:
            found += [(node.lineno, f"{name}({kw.arg}=...)") for kw in node.keywords if kw.arg in STATE_FIELDS]
            found += [(node.lineno, f"{name}(defaults={{{key.value!r}: ...}})") for kw in node.keywords
                      if kw.arg == "defaults" and isinstance(kw.value, ast.Dict)
                      for key in kw.value.keys if getattr(key, "value", None) in STATE_FIELDS]
    return found


def test_views_api_admin_forms_and_tasks_never_write_a_status_or_deadline_flag():
    offenders = []
    for app in DOMAIN_APPS + ("core",):
        for path in _python_files(ROOT / app):
            if path.name in THIN_MODULES:
                tree = ast.parse(path.read_text(encoding="utf-8"))
                offenders += [f"{path.relative_to(ROOT)}:{line} {what}" for line, what in _state_writes(tree)]
    assert not offenders, "only services write these (docs/architecture.md): " + ", ".join(offenders)


def test_the_state_scan_sees_a_status_written_in_a_view():
    tree = ast.parse("def v(request, d):\n    d.status = 'done'\n    D.objects.filter().update(warned_at=None)\n")
    assert [what for _line, what in _state_writes(tree)] == [".status = ...", "update(warned_at=...)"]


def test_model_forms_serializers_and_admin_leave_the_state_read_only(rf):
    """A ModelForm field, a writable serializer field or an editable admin field would
    write the state without a service."""
    import importlib

    from django.contrib import admin
    from django.forms import ModelForm
    from rest_framework import serializers

    from core.models import User

    offenders = []
    for app in DOMAIN_APPS:
        for module_name in ("forms", "serializers"):
            if not (ROOT / app / f"{module_name}.py").exists():
                continue
            module = importlib.import_module(f"{app}.{module_name}")
            for name, obj in vars(module).items():
                if isinstance(obj, type) and issubclass(obj, ModelForm) and obj is not ModelForm:
                    offenders += [f"{app}.forms.{name}.{f}" for f in set(obj.base_fields) & STATE_FIELDS]
                if isinstance(obj, type) and issubclass(obj, serializers.ModelSerializer) and obj.__module__ == module.__name__:
                    fields = obj().fields
                    offenders += [f"{app}.serializers.{name}.{f}" for f in STATE_FIELDS
                                  if f in fields and not fields[f].read_only]
    request = rf.get("/admin/")
    request.user = User(username="admin", role=User.Role.ADMIN, is_staff=True, is_superuser=True, is_active=True)
    for model, model_admin in admin.site._registry.items():
        editable = set(model_admin.get_fields(request)) - set(model_admin.get_readonly_fields(request))
        editable |= set(getattr(model_admin, "list_editable", ()))
        offenders += [f"admin {model._meta.label}.{f}" for f in editable & STATE_FIELDS
                      if f in {field.name for field in model._meta.get_fields()}]
    assert not offenders, "state written outside services: " + ", ".join(sorted(offenders))


# Pure arithmetic, not reads or writes: positional is clearer ("percent(3, 4)").
POSITIONAL_ALLOWED = {"kpi/selectors.py": {"percent"}, "surveys/selectors.py": {"rate"}}


def test_services_and_selectors_take_keyword_only_arguments():
    offenders = []
    for app in DOMAIN_APPS:
        for name in ("services.py", "selectors.py"):
            path = ROOT / app / name
            if not path.exists():
                continue
            allowed = POSITIONAL_ALLOWED.get(f"{app}/{name}", set())
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if (isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and node.args.args
                        and node.name not in allowed):
                    offenders.append(f"{app}/{name}:{node.lineno} {node.name}({node.args.args[0].arg}, …)")
    assert not offenders, "make these keyword-only (def f(*, …)): " + ", ".join(offenders)


def test_no_service_or_selector_is_named_like_a_model_field():
    """``overdue_at(now)`` beside ``Dossier.overdue_at`` reads as the field: name what it returns."""
    from django.apps import apps

    offenders = []
    for app in DOMAIN_APPS:
        fields = {field.name for model in apps.get_app_config(app).get_models() for field in model._meta.get_fields()}
        for name in ("services.py", "selectors.py"):
            path = ROOT / app / name
            if path.exists():
                offenders += [f"{app}/{name}:{node.lineno} {node.name}" for node in ast.parse(path.read_text()).body
                              if isinstance(node, ast.FunctionDef) and node.name in fields]
    assert not offenders, "functions shadowing a model field's name: " + ", ".join(offenders)


def test_each_app_keeps_its_public_page_section_in_public_py():
    from core import registry

    modules = {render.__module__ for render in registry.public_sections()}
    assert modules == {f"{app}.public" for app in DOMAIN_APPS}


def test_every_setting_read_from_the_environment_is_in_the_readme_table():
    settings_py = (ROOT / "cchc_portal" / "settings.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = set(re.findall(r'env(?:\.\w+)?\("([A-Z_]+)"', settings_py))
    assert names, "no settings found"
    assert not {name for name in names if f"`{name}`" not in readme}


def test_apps_read_settings_declared_in_settings_py_not_getattr_defaults():
    offenders = [f"{path.relative_to(ROOT)}:{node.lineno}" for app in DOMAIN_APPS + ("core",)
                 for path in _python_files(ROOT / app)
                 for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "getattr" and node.args
                 and getattr(node.args[0], "id", "") == "settings"]
    assert not offenders, "declare the setting in cchc_portal/settings.py instead: " + ", ".join(offenders)


def test_core_runs_what_each_app_registered():
    """The engine, the public page and seed_demo learn the apps from core/registry.py."""
    from core import registry

    sweeps = [f"{sweep.__module__}.{sweep.__name__}" for sweep in registry.deadline_sweeps()]
    assert sweeps == ["dossiers.deadlines.sweep", "feedback.deadlines.sweep"]
    demo = [seed.__module__ for seed in registry.demo_steps()]
    # kpi's plan counts the others; the signing step signs what the others issued
    # kpi.demo twice: the rollup is recounted after the bulk inserts, then the reports are written
    assert demo == ["dossiers.demo", "surveys.demo", "feedback.demo", "kpi.demo", "kpi.demo", "dossiers.signing_demo"]
    sections = [render.__module__ for render in registry.public_sections()]
    assert sections == ["kpi.public", "dossiers.public", "surveys.public", "feedback.public"]


@pytest.mark.django_db
def test_seed_demo_runs_every_registered_step(monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from core import registry

    ran = []
    steps = [lambda *, unit, users, today, name=name: ran.append((name, unit.slug, sorted(users))) or f"{name}: ok"
             for name in ("first", "second")]
    monkeypatch.setattr(registry, "demo_steps", lambda: steps)
    out = StringIO()
    call_command("seed_demo", stdout=out)
    # Every step, in order, for each demo school (the kindergarten first, with the demo accounts).
    slugs = list(dict.fromkeys(slug for _name, slug, _users in ran))
    assert len(slugs) >= 5
    assert [name for name, _slug, _users in ran] == ["first", "second"] * len(slugs)
    assert ran[0][1] == "mn-tuoi-hong" and ran[0][2] == ["admin", "district", "principal", "staff"]
    assert ran[2][2] == ["principal", "staff"]
    assert "first: ok" in out.getvalue() and "second: ok" in out.getvalue()
