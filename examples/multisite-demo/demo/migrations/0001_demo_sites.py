"""Creates the Sites rows declared in DJANGO_MULTISITE_PLUS_SITES, as the
multisite-plus auto-population does on a Divio deployment."""
from django.conf import settings
from django.db import migrations


def create_sites(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    for slug, site in settings.DJANGO_MULTISITE_PLUS_SITES.items():
        Site.objects.update_or_create(
            id=site["id"], defaults={"domain": site["real_domain"], "name": site["name"]}
        )


class Migration(migrations.Migration):
    dependencies = [("sites", "0002_alter_domain_unique")]
    operations = [migrations.RunPython(create_sites, migrations.RunPython.noop)]
