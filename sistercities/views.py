from django.conf import settings
from django.shortcuts import get_object_or_404, render

from diplomacy_portal.l10n import is_persian

from . import selectors
from .models import SisterCity


def _map_data(cities) -> dict:
    """What static/js/city_map.js draws: the home city, and each city with its link."""
    home = settings.HOME_CITY
    return {
        "home": {
            "name": home["name_fa"] if is_persian() else home["name_en"],
            "latitude": home["latitude"],
            "longitude": home["longitude"],
        },
        "cities": [
            {
                "name": city.name,
                "url": city.get_absolute_url(),
                "latitude": float(city.latitude),
                "longitude": float(city.longitude),
            }
            for city in cities
        ],
    }


def city_list(request):
    cities = list(selectors.public_cities())
    context = {"cities": cities, "map_data": _map_data(cities)}
    return render(request, "sistercities/city_list.html", context)


def city_detail(request, slug):
    city = get_object_or_404(SisterCity, slug=slug)
    context = {
        "city": city,
        "contacts": selectors.recent_contacts(city=city),
        "map_data": _map_data([city]),
    }
    return render(request, "sistercities/city_detail.html", context)
