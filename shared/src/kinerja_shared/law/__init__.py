"""The regulations' scales and curve, stated once for every service (pure rules, no I/O).

`predikat`: the employee and organisation predikat scales (PermenPANRB 6/2022); `kurva`: the
kurva distribusi (SE MenPANRB 3/2023); `skm`: the nine SKM unsur and their score scale
(PermenPANRB 14/2017). Each scale is a StrEnum for the rules and a Literal of the same values
for event payloads, whose JSON Schemas name the values (`tests/shared/law` ties the two).
"""
