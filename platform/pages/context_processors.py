from django.conf import settings


def portal(request):
    return {"PORTAL_NAME": "Sozialplanungsplattform", "SITE_URL": settings.SITE_URL}
