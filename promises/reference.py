"""The national theme taxonomy used to filter promises across kommuner (loaded idempotently)."""

THEMES = [
    ("trafik", "Trafik", "Trafiksäkerhet, trafikkontroller och en trygg trafikmiljö."),
    ("narkotika-och-andt", "Narkotika och ANDT", "Alkohol, narkotika, doping och tobak."),
    ("polisiar-narvaro", "Polisiär närvaro", "Synlig och tillgänglig polis i kommunen."),
    (
        "trygghet-i-offentlig-miljo",
        "Trygghet i offentlig miljö",
        "Trygga platser, centrum, belysning och trygghetsvandringar.",
    ),
    ("barn-och-unga", "Barn och unga", "Förebyggande arbete med och för barn och unga."),
    (
        "organiserad-brottslighet",
        "Organiserad brottslighet",
        "Brottslighet som påverkar lokalsamhället.",
    ),
    ("vald-i-nara-relationer", "Våld i nära relationer", "Våld och hot i nära relationer."),
    (
        "inbrott-och-bedragerier",
        "Inbrott och bedrägerier",
        "Bostadsinbrott, grannsamverkan och bedrägerier mot äldre.",
    ),
    ("krog-och-ordning", "Krog och ordning", "Krogkontroller, ordning och berusade personer."),
    ("samverkan-och-dialog", "Samverkan och dialog", "Samverkansmöten och medborgardialog."),
]


def load_themes(Theme) -> None:
    """Create or update the themes; ``Theme`` may be the real or a migration's historical model."""
    for position, (slug, name, description) in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
