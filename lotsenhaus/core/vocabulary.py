"""Shared vocabularies: needs and solutions describe technology with the same words, so they can match."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Technology(models.TextChoices):
    AI_TEXT = "ai_text", _("AI: text processing")
    AI_VISION = "ai_vision", _("AI: image recognition")
    AI_FORECAST = "ai_forecast", _("AI: forecasting")
    AI_OPTIMISATION = "ai_optimisation", _("AI: optimisation")
    AI_GENERATIVE = "ai_generative", _("AI: generative AI")
    RPA = "rpa", _("Robotic process automation")
    DATA_PLATFORM = "data_platform", _("Data platforms and analytics")
    IOT = "iot", _("Sensors and internet of things")
    GEO = "geo", _("Geodata and digital twins")
    PLATFORM = "platform", _("Online services and portals")
    OTHER = "other", _("Other technology")
