from django.conf import settings
from django.utils.translation import get_language


def portal(request):
    """The home city's name in the current language, for the layout."""
    city = settings.HOME_CITY
    name = city["name_fa"] if get_language() == "fa" else city["name_en"]
    return {"home_city_name": name}
