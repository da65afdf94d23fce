from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "fund.policy"
    label = "policy"
