from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class RentalOpsConfig(AppConfig):
    name = "rentalops"
    verbose_name = "RentalOps"

    def ready(self) -> None:
        # Models added by later migrations get their permissions onto the roles too.
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="rentalops_sync_roles")


def _sync_roles_after_migrate(sender, app_config=None, **kwargs) -> None:
    # post_migrate fires once per app; every app's permissions exist after the last one.
    if app_config is not None and app_config.label != list(apps.get_app_configs())[-1].label:
        return
    from rentalops.roles import sync_roles

    sync_roles()
