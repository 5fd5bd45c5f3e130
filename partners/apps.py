from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partnerships")

    def ready(self):
        # The signal receivers import the models, which exist only once the app is ready.
        from . import signals

        signals.connect(self)
