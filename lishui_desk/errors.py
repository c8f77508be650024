"""Error types shown to users.

Every error that can reach a user carries a Simplified Chinese message (``message``) that names
the rule, article or file involved, in plain words: no command line, no internal id. The GUI shows
``message`` in a dialog; the CLI prints ``cli_text`` (``message`` plus what only a terminal user can
act on: the command to run, the data key or document id) without a traceback. ``code`` is a stable
machine-readable identifier for scripts and tests.
"""

from __future__ import annotations

from pathlib import Path


class DeskError(Exception):
    """Base class of every error meant for the user."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None, cli_text: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.cli_text = cli_text or message
        if code is not None:
            self.code = code

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class InvalidInput(DeskError):
    """Bad input from a user or a file: malformed ID number, oversize field, unknown option."""

    code = "invalid_input"


class NotFound(DeskError):
    code = "not_found"


class WrongPassphrase(DeskError):
    """The passphrase did not unwrap the data key (AES-GCM tag failure)."""

    code = "wrong_passphrase"


class LockedOut(DeskError):
    """Too many wrong passphrases: the caller must wait ``wait_seconds`` before the next try."""

    code = "locked_out"

    def __init__(self, message: str, wait_seconds: float) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class CorruptFile(DeskError):
    """A keyring, database or evidence file is damaged, truncated or tampered with."""

    code = "corrupt_file"

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.path = Path(path) if path is not None else None


class SchemaTooNew(DeskError):
    """The database was written by a newer version of the program."""

    code = "schema_too_new"


class IntegrityBroken(DeskError):
    """The hash chain of a case's record, or an evidence hash, does not verify."""

    code = "integrity_broken"


class Damaged(DeskError):
    """Stored data cannot be read: a database page or evidence file fails decryption or parsing.

    Told apart from ``IntegrityBroken`` (readable but disagreeing with the record): the remedy is
    restoring a backup, not an investigation."""

    code = "damaged"


class RuleViolation(DeskError):
    """A procedure guard refused an action. ``violations`` lists each rule id, message, article."""

    code = "rule_violation"

    def __init__(self, violations: list) -> None:  # list[procedure.Violation]
        lines = [f"{v.message}（{v.article}，规则 {v.rule_id}）" for v in violations]
        super().__init__("；".join(lines) if lines else "操作被程序规则拒绝")
        self.violations = violations
