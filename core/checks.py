"""System checks of this app's settings."""
from django.conf import settings
from django.core.checks import Error, register


@register()
def signing_keys_outside_media(app_configs, **kwargs):
    """Private keys never sit under MEDIA_ROOT: it is what backups archive."""
    from core import signing

    errors = []
    if not signing.keys_dir_is_private():
        errors.append(Error(
            "SIGNING_KEYS_DIR is inside MEDIA_ROOT: private keys would be copied into backups.",
            hint="Point SIGNING_KEYS_DIR outside MEDIA_ROOT (default var/keys).", id="core.E101",
        ))
    if settings.SIGNING_KEY_SOURCE not in ("pkcs12", "pkcs11"):
        errors.append(Error("SIGNING_KEY_SOURCE must be 'pkcs12' or 'pkcs11'.", id="core.E102"))
    return errors
