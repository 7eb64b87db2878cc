"""The national code lists a plan is described with: SOSI *Planstatus* and *Plantype*.

Content files keep the codes (as the municipality's plan register does); pages show the
Norwegian names, which are the registers' own and are not translated.

Sources:

*Planstatus* — Geonorge's object catalogue, code list ``Planstatus`` (``PLANSTAT``) of SOSI Plan 4.x,
https://objektkatalog.geonorge.no/Objekttype/Index/EAID_8E79DEB3_F0BA_414c_93D0_9174A62C91F9 (codes 1–8);
and the SOSI Plan 5.0 model in the same catalogue (SOSI Generell objektkatalog › Plan › Plan-5.0 ›
Arealplan, https://objektkatalog.geonorge.no/Pakke/Index/EAPK_79B24EE2_57A4_43bb_A83B_2ABEFE0435A3),
whose enumeration ``Planstatus`` adds 0 *Planinitiativ*, 9 *Avvist* and 10 *Trukket/uaktuelt* and no
longer lists 7; 7 stays here because plans registered under 4.x carry it. DiBK's product
specifications (github.com/Arkitektum/produktspesifikasjon_plandata at c7053fd: *Reguleringsplan*, and
*Planområde for planlegging igangsatt*, version 2025-10-17) use the same names.

*Plantype* — Geonorge's register of SOSI code lists, ``plan/planregister`` › Plantype
(https://register.geonorge.no/sosi-kodelister/plan/planregister), codes 4–35 as public copies of the
register give them; the names of 30–35 are those of ``RpPlantype`` in DiBK's product specification for
*Reguleringsplan* (code list https://register.geonorge.no/sosi-kodelister/plan/reguleringsplanforslag/rpplantype),
20–22 those of ``KpPlantype``. docs/medvirkning.md lists both.
"""

from __future__ import annotations

PLANSTATUS: dict[int, str] = {
    0: "Planinitiativ",
    1: "Planlegging igangsatt",
    2: "Planforslag",
    3: "Endelig vedtatt arealplan",
    4: "Opphevet",
    5: "Utgått/erstattet",
    6: "Vedtatt plan med utsatt rettsvirkning",
    7: "Endelig vedtatt plan underlagt tidsbegrensning",
    8: "Overstyrt",
    9: "Avvist",
    10: "Trukket/uaktuelt",
}

PLANTYPE: dict[int, str] = {
    4: "Statlig arealplan",
    10: "Fylkesplanens arealdel",
    11: "Fylkesdelplan",
    12: "Regionalplan",
    20: "Kommuneplanens arealdel",
    21: "Kommunedelplan",
    22: "Mindre endring av kommune(del)plan",
    30: "Eldre reguleringsplan",
    31: "Mindre reguleringsendring",
    32: "Bebyggelsesplan ihht. Reguleringsplan",
    33: "Bebyggelsesplan ihht kommunepl. arealdel",
    34: "Områderegulering",
    35: "Detaljregulering",
}

#: Statuses in the order a plan passes through them, for "then the others by status": plans being
#: made first, then those in force, then those that ended.
STATUS_ORDER: tuple[int, ...] = (0, 1, 2, 6, 3, 7, 8, 4, 5, 9, 10)

#: Statuses of a plan still being made: the timeline shows the process steps still to come.
IN_PROGRESS = frozenset({0, 1, 2})
#: Statuses of a plan that has legal effect (schema.org ``legislationLegalForce``: InForce).
IN_FORCE = frozenset({3, 7, 8})


def listing(codes: dict[int, str]) -> str:
    """"1 Planlegging igangsatt, 2 Planforslag, …" for error messages."""
    return ", ".join(f"{k} {v}" for k, v in codes.items())


#: The sections of plan- og bygningsloven behind each step, by kind of plan: zoning plans (30–35)
#: follow chapter 12, municipal master plans (20–22) chapter 11. Other types show no section.
LAW: dict[str, dict[str, str]] = {
    "regulering": {"oppstart": "pbl. § 12-8", "horing": "pbl. § 12-10", "vedtak": "pbl. § 12-12"},
    "kommuneplan": {"oppstart": "pbl. § 11-12", "horing": "pbl. § 11-14", "vedtak": "pbl. § 11-15"},
}


def law(plan_type: int, step: str) -> str | None:
    """The section of the law a step of a plan of this type follows ("pbl. § 12-10"), if known."""
    family = "regulering" if 30 <= plan_type <= 35 else "kommuneplan" if 20 <= plan_type <= 22 else None
    return LAW[family].get(step) if family else None
