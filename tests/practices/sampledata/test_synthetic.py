import pytest
from django.core.management import CommandError, call_command

from practices.models import Practice
from practices.sampledata.synthetic import COUNTRY_CODES, RealDataPresent, generate_practices

pytestmark = pytest.mark.django_db


def snapshot():
    return [
        (
            p.slug,
            p.title,
            p.description,
            p.country.code,
            p.territorial_validity_id,
            p.region_id,
            sorted(p.priorities.values_list("slug", flat=True)),
            sorted(p.challenges.values_list("slug", flat=True)),
            sorted(p.recommendations.values_list("slug", flat=True)),
            p.updated_at,
        )
        for p in Practice.objects.order_by("slug")
    ]


def test_the_same_seed_gives_the_same_practices(taxonomies):
    generate_practices(count=40, seed=3, batch_size=15)
    first = snapshot()
    Practice.objects.all().delete()
    generate_practices(count=40, seed=3, batch_size=15)
    assert snapshot() == first
    Practice.objects.all().delete()
    generate_practices(count=40, seed=4)
    assert snapshot() != first


def test_generated_practices_are_marked_published_and_realistic(taxonomies):
    assert generate_practices(count=300, seed=1) == 300
    practices = Practice.objects.all()
    assert practices.count() == 300
    assert not practices.filter(is_synthetic=False).exists()
    assert practices.published().count() == 300
    assert len(set(COUNTRY_CODES)) >= 60
    assert practices.values("country").distinct().count() >= 30
    for practice in practices[:50]:
        words = len(practice.description.split())
        assert 100 <= words <= 300, words
        assert practice.challenges.exists() and practice.support_types.exists()
        assert practice.search_document.startswith(practice.title.casefold()[:10])
    assert practices.filter(region__isnull=False).exists()
    innovation = practices.filter(challenges__slug="innovation").count()
    internationalisation = practices.filter(challenges__slug="internationalisation").count()
    assert innovation > internationalisation, "tag frequencies are uneven, as on the platform"


def test_real_practices_are_never_mixed_with_synthetic_ones_by_accident(sample_practices):
    with pytest.raises(RealDataPresent):
        generate_practices(count=5)
    assert Practice.objects.filter(is_synthetic=True).count() == 0
    with pytest.raises(CommandError, match="--allow-real-data"):
        call_command("generate_practices", "--count", "5")
    generate_practices(count=5, allow_real_data=True)
    assert Practice.objects.filter(is_synthetic=True).count() == 5


def test_the_command_creates_and_reports(taxonomies, capsys):
    call_command("generate_practices", "--count", "12", "--seed", "9")
    assert "Created 12 synthetic practices (seed 9)." in capsys.readouterr().out
    call_command("generate_practices", "--count", "3", "--seed", "9")
    assert Practice.objects.count() == 15, "a second run adds new practices"
