"""Where a running export writes before its file goes to storage: a directory of its own per attempt,
`<temp dir>/export-<job id>-<lease token>/`, holding the partial file and xlsxwriter's temporary files
(several GB for a million-row workbook). The worker removes it when it stops, however it stops short
of being killed; `sweep()` removes what a killed worker left on this machine."""

import re
import shutil
import tempfile
import uuid
from pathlib import Path

from ..models import ExportJob

PREFIX = "export-"
NAME = re.compile(rf"^{PREFIX}(?P<job>[0-9a-f-]{{36}})-(?P<token>[0-9a-f]{{32}})$")


def root() -> Path:
    return Path(tempfile.gettempdir())  # TMPDIR; on a worker machine, a local disk with room for the biggest file


def work_dir(job_id, token: str) -> Path:
    path = root() / f"{PREFIX}{job_id}-{token}"
    path.mkdir(mode=0o700)
    return path


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def sweep() -> int:
    """Remove the work directories of attempts that are over (their job no longer holds that token). A
    directory of a job unknown to this database is left alone: it may be another installation's."""
    found = {}
    for path in root().glob(f"{PREFIX}*"):
        match = NAME.match(path.name)
        if match and path.is_dir():
            found[path] = (uuid.UUID(match["job"]), match["token"])
    if not found:
        return 0
    holders = dict(ExportJob.objects.filter(pk__in={job for job, _ in found.values()}).values_list("pk", "lease_token"))
    over = [path for path, (job, token) in found.items() if job in holders and holders[job] != token]
    for path in over:
        remove(path)
    return len(over)
