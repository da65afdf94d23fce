"""Screening (电子稽核 and fraud detection): one engine for both.

A *check* is code registered here (`registry.register_check`): given a subject (a withdrawal, a loan application,
a deposit correction, an account or policy change) it returns findings with their evidence; given a business date
its sweep looks over history set-based. A *rule* is data (`risk.models.ScreeningRule`): which check it runs, with
what parameters, at which of Linyi's four levels, on or off from an effective date — so a centre adds its own rules
by adding rows over the registered checks. A finding of a rule on a subject is a *hit* in the audit queue.
"""
