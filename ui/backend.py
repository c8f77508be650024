"""Plain functions the GUI runs on the ops worker: thin calls into the core services.

Everything here executes on the worker thread (see :mod:`ui.ops`) and returns plain data. No
procedure logic lives here; services that are not installed yet raise :class:`ServiceMissing`
so the views can show a clear "not ready" state instead of crashing.
"""

from __future__ import annotations

import importlib
from datetime import date
from pathlib import Path
from typing import Any

from lishui_desk.edge import read as _read
from lishui_desk.edge import run as _run
from lishui_desk.errors import DeskError
from ui.text import tr

# Every function below that touches the profile is one GUI op = one unit of work (``_run`` for a
# write, ``_read`` for a read), opened here at the edge; the services never open one themselves.


class ServiceMissing(DeskError):
    """A core or forms service this view needs is not installed in this build."""

    code = "service_missing"


def service(name: str) -> Any:
    """Import a service module by dotted name or raise :class:`ServiceMissing`."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name.split(".")[0]) and exc.name in name:
            raise ServiceMissing(tr("功能模块 {0} 尚未就绪").format(name)) from None
        raise


def has_service(name: str) -> bool:
    try:
        service(name)
    except ServiceMissing:
        return False
    return True


# -- profiles -----------------------------------------------------------------------------
def list_profiles(root: Path | None) -> list[str]:
    from lishui_desk.paths import list_profiles as _list

    return _list(root)


def unlock(profile_id: str, passphrase: str, root: Path | None) -> Any:
    from lishui_desk.storage.profile import open_profile

    return open_profile(profile_id, passphrase, root=root)


def create_profile(profile_id: str, passphrase: str, root: Path | None, township_code: str, officer: dict,
                   recovery_key_file: str | None, kdf_params: Any = None) -> Any:
    setup = service("lishui_desk.services.setup")
    recovery = _read_recovery_key(recovery_key_file) if recovery_key_file else None
    spec = setup.OfficerSpec(officer["name"], officer["cert_no"], officer.get("cert_valid_until"))
    return service("lishui_desk.edge").create_profile(
        profile_id, passphrase, root=root, township_code=township_code, officer=spec,
        recovery_public_key=recovery, kdf_params=kdf_params,
    )


def _read_recovery_key(path: str) -> bytes:
    setup = service("lishui_desk.services.setup")
    reader = getattr(setup, "read_recovery_public_key", None)
    if reader is not None:
        return reader(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DeskError(tr("无法读取县级恢复公钥文件 {0}：{1}").format(path, exc.strerror)) from None
    return data


def pilot_townships() -> list[tuple[str, str]]:
    """(code, display name) of the townships with a bundled seed catalogue."""
    from lishui_desk import catalog_data

    out = []
    for code in catalog_data.available_catalogs():
        try:
            t = catalog_data.township_info(code)
            out.append((code, f"{t.county_name}{t.name}"))
        except DeskError:
            out.append((code, code))
    return out


# -- drafts (unsaved forms kept across auto-lock) ------------------------------------------
def save_drafts(profile: Any, drafts: dict[str, dict]) -> int:
    return _run(profile, service("lishui_desk.services.drafts").save_drafts, drafts)


def take_drafts(profile: Any) -> dict[str, dict]:
    """Load every draft and delete it (a restored form owns its content again)."""
    return _run(profile, service("lishui_desk.services.drafts").take_drafts)


# -- cases ----------------------------------------------------------------------------------
def case_service(profile: Any, today: date | None = None) -> Any:
    """The case services with one unit of work per call (``lishui_desk.edge.CaseDesk``)."""
    return service("lishui_desk.edge").CaseDesk(profile, today=today)


def case_filter(**kw: Any) -> Any:
    return service("lishui_desk.services.queries").CaseFilter(**kw)


def case_domains(profile: Any) -> list[str]:
    return list(_read(profile, service("lishui_desk.services.queries").domains))


def count_cases(profile: Any, flt: dict) -> int:
    q = service("lishui_desk.services.queries")
    return int(_read(profile, q.count_cases, q.CaseFilter(**flt)))


def list_cases(profile: Any, flt: dict, offset: int, limit: int, order_by: str | None = None) -> list[tuple]:
    q = service("lishui_desk.services.queries")
    kwargs = {"order_by": order_by} if order_by else {}
    rows = _read(profile, q.list_cases, q.CaseFilter(**flt), offset, limit, **kwargs)
    return [case_row_tuple(r) for r in rows]


def case_row_tuple(r: Any) -> tuple:
    """(id, case_number, party_name, item_name, stage_label, next_deadline, deadline_label, officers)."""
    g = (lambda k: r.get(k)) if isinstance(r, dict) else (lambda k: getattr(r, k, None))
    return (g("id"), g("case_number"), g("party_name"), g("item_name"), g("stage_label"),
            g("next_deadline"), g("next_deadline_label"), g("officer_names"))


def view_case(profile: Any, case_id: str) -> Any:
    return case_service(profile).view(case_id)


def perform(profile: Any, case_id: str | None, action: str, payload: dict, place: str | None = None) -> Any:
    svc = case_service(profile)
    if action == "register_lead" or case_id is None:
        return svc.register_lead(payload)
    return svc.perform(case_id, action, payload, place=place)


def check(profile: Any, case_id: str, action: str, payload: dict) -> list:
    return list(case_service(profile).check(case_id, action, payload))


def add_evidence(profile: Any, case_id: str, path: str, kind: str, description: str) -> Any:
    return case_service(profile).add_evidence_file(case_id, path, kind, description)


def export_evidence(profile: Any, evidence_id: str, dest: str) -> str:
    case_service(profile).export_evidence(evidence_id, dest)
    return dest


def evidence_bytes(profile: Any, blob_id: str, limit: int = 8 * 1024 * 1024) -> bytes:
    """The decrypted bytes of a small evidence file (for thumbnails); verified chunk by chunk."""
    out = bytearray()
    for chunk in profile.evidence.read_chunks(blob_id):
        out += chunk
        if len(out) > limit:
            return b""
    return bytes(out)


def _officer_dict(o: Any) -> dict:
    g = (lambda k: o.get(k)) if isinstance(o, dict) else (lambda k: getattr(o, k, None))
    active = g("active")
    return {"id": g("id"), "name": g("name"), "cert_no": g("cert_no"), "role": g("role"),
            "cert_valid_until": g("cert_valid_until"), "legal_qualification": bool(g("legal_qualification")),
            "reviewer_since": g("reviewer_since"), "active": True if active is None else bool(active)}


def officers(profile: Any, include_inactive: bool = False) -> list[dict]:
    """执法人员名册: active officers (the step forms' choices), or everyone for the roster view."""
    svc = service("lishui_desk.services.officers")
    return [_officer_dict(o) for o in _read(profile, svc.list_officers, include_inactive=include_inactive)]


def create_officer(profile: Any, officer: dict) -> dict:
    svc = service("lishui_desk.services.officers")
    spec = service("lishui_desk.services.setup").OfficerSpec(
        officer["name"], officer["cert_no"], officer.get("cert_valid_until"), role=officer.get("role") or "officer",
        legal_qualification=bool(officer.get("legal_qualification")), reviewer_since=officer.get("reviewer_since"))
    return _officer_dict(_run(profile, svc.create_officer, spec))


def retire_officer(profile: Any, officer_id: str) -> dict:
    return _officer_dict(_run(profile, service("lishui_desk.services.officers").retire_officer, officer_id))


def actions() -> dict:
    from lishui_desk.procedure.actions import ACTIONS

    return ACTIONS


# -- catalog --------------------------------------------------------------------------------
def catalog_search(profile: Any, text: str, domain: str | None, limit: int = 200) -> list:
    return list(_read(profile, service("lishui_desk.services.catalog").search, text, domain=domain, limit=limit))


def catalog_item(profile: Any, code: str) -> Any:
    return _read(profile, service("lishui_desk.services.catalog").item, code)


def catalog_domains(profile: Any) -> list[str]:
    return list(_read(profile, service("lishui_desk.services.catalog").domains))


def suggest_amount(item: Any, party_kind: str, tier_label: str | None, factors: Any = None) -> Any:
    return service("lishui_desk.discretion").suggest(item, party_kind, tier_label, factors or [])


# -- dashboard ------------------------------------------------------------------------------
def dashboard(profile: Any, today: date) -> Any:
    return _read(profile, service("lishui_desk.services.queries").dashboard, today=today)


def about(profile: Any | None) -> dict:
    import sqlalchemy

    import lishui_desk

    out: dict[str, Any] = {"app": getattr(lishui_desk, "__version__", "0.1.0"), "sqlalchemy": sqlalchemy.__version__}
    if profile is not None:
        from lishui_desk.storage.migrate import current_revision
        from lishui_desk.storage.profile import counts

        out["schema"] = current_revision(profile.engine)
        out["counts"] = counts(profile)
        out["catalog"] = profile.meta("catalog_version")
        out["township"] = profile.meta("township_code")
        out["data_dir"] = str(profile.paths.root)
    return out


# -- documents (forms.service) ---------------------------------------------------------------
def forms_service() -> Any:
    return service("forms.service")


def issue_document(profile: Any, case_id: str, doc_type: str, act: str | None = None) -> Any:
    return _run(profile, forms_service().issue_document, case_id, doc_type, act)


def reprint(profile: Any, doc_id: str) -> bytes:
    return _read(profile, forms_service().reprint, doc_id)


def preview_document(profile: Any, case_id: str, doc_type: str, act: str | None = None) -> bytes:
    return _read(profile, forms_service().preview, case_id, doc_type, act)


def casefile(profile: Any, case_id: str) -> bytes:
    return _read(profile, forms_service().casefile, case_id)


def write_bytes(path: str, data: bytes) -> str:
    Path(path).write_bytes(data)
    return path




def catalog_items(profile: Any) -> list[tuple[str, str]]:
    """(code, name) of the active items of the township's current catalogue, for the item pickers
    (two columns only: cheap enough to read for every form, so never stale)."""
    return _read(profile, service("lishui_desk.services.catalog").item_names)


def form_context(profile: Any, case_id: str | None, view: Any = None) -> Any:
    """Everything a generated form offers as choices (officers, evidence, events, items)."""
    from ui.dialogs.action_form import FormContext

    ctx = FormContext(officers=officers(profile))
    ctx.items = catalog_items(profile)
    if case_id is not None:
        view = view or view_case(profile, case_id)
        ctx.evidence = [(e.sha256, f"{e.kind}：{e.description}（{(e.original_name or '')}）")
                        for e in view.evidence if e.sha256]
        ctx.events = [(e.id, f"#{e.seq} {event_label(e.type)} {str(e.occurred_at)[:16]}") for e in view.events]
        code = view.summary.get("item_code")
        if code:
            try:
                ctx.item_seed = catalog_item(profile, code)
                ctx.seeds[code] = ctx.item_seed
            except DeskError:  # e.g. an item of another township's catalogue (移送 cases)
                ctx.item_seed = None
        ctx.party_kind = view.summary.get("party_kind")
    return ctx


def event_label(event_type: str) -> str:
    from lishui_desk.procedure.actions import ACTIONS, EVENT_ACTION
    from lishui_desk.procedure.vocabulary import COUNTY_EVENT_LABELS

    key = EVENT_ACTION.get(event_type)
    return ACTIONS[key].label_zh if key else COUNTY_EVENT_LABELS.get(event_type, event_type)


def load_workspace(profile: Any, case_id: str) -> tuple[Any, Any]:
    """The case view and the form context in one worker call (one read per action)."""
    view = view_case(profile, case_id)
    return view, form_context(profile, case_id, view)


def verify_evidence(profile: Any, rows: list[tuple[str, str, str]]) -> dict[str, bool]:
    """evidence id -> whether the stored file still matches its recorded SHA-256."""
    return {ev_id: bool(profile.evidence.verify(blob_id, sha)) for ev_id, blob_id, sha in rows if blob_id and sha}


def doc_types() -> list[tuple[str, str]]:
    """(doc_type, title) of the bundled document definitions."""
    return [(t.doc_type, t.title) for t in forms_service().document_types()]


def available_documents(profile: Any, case_id: str) -> list:
    """The documents that fit the case so far, each with what is still missing (forms.service)."""
    return list(_read(profile, forms_service().available_documents, case_id))


def verify_qr(profile: Any, text: str) -> Any:
    return _read(profile, forms_service().verify, text)


def list_documents(profile: Any) -> list:
    return list(_read(profile, forms_service().list_documents))


def doc_settings(profile: Any) -> dict[str, dict]:
    return _read(profile, forms_service().settings)


def set_doc_setting(profile: Any, key: str, value: str) -> None:
    _run(profile, forms_service().set_setting, key, value)


def backup_to(profile: Any, folder: str) -> dict:
    """One encrypted archive of the whole profile in ``folder`` (USB stick); runs on the worker."""
    from lishui_desk.services.backup import backup_profile

    info = backup_profile(profile, Path(folder))
    return {"path": str(info.path), "size": info.size, "files": info.members}


def auto_backup(profile: Any) -> str | None:
    """The daily rolling local backup (at most one a day, newest N kept); the path or None."""
    from lishui_desk.services.backup import auto_backup as _auto

    info = _auto(profile)
    return str(info.path) if info else None


def backup_keep(profile: Any) -> int:
    from lishui_desk.services.backup import KEEP_DEFAULT

    return int(profile.meta("backup_keep") or KEEP_DEFAULT)


def set_backup_keep(profile: Any, keep: int) -> int:
    profile.set_meta("backup_keep", str(int(keep)))
    return int(keep)
