from django.apps import AppConfig


class WhatifConfig(AppConfig):
    name = "fund.whatif"
    label = "whatif"
    verbose_name = "政策调整模拟"
