from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = "Exports"

    def ready(self):
        from leases.reaping import register

        from .models import ExportJob
        from .services import recovery, workspace

        register(ExportJob, recovery.on_expired, tidy=workspace.sweep)
