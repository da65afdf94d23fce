from django import template

from fund.audit import masking

register = template.Library()

register.filter("mask_id", masking.mask_id_number)
register.filter("mask_card", masking.mask_bank_card)
register.filter("mask_phone", masking.mask_phone)
