from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lotsenhaus.demo"
    label = "demo"
    verbose_name = "Demo"
