"""The shared vocabulary of DESIGN §3: stable ids stored in the database, labels translated on display."""

from __future__ import annotations

from enum import StrEnum

from ssd_starter.i18n import N_, _


class LabelledEnum(StrEnum):
    """A string enum whose members have a translatable label (``LABELS`` maps value → N_ text)."""

    @property
    def label(self) -> str:
        return _(_LABELS[type(self)][self])


def label_of(enum: type[LabelledEnum], value: str) -> str:
    """The translated label, or the raw value for one this version does not know (a newer installation's)."""
    try:
        return enum(value).label
    except ValueError:
        return str(value)


class DistrictKind(LabelledEnum):
    THEMATIC = "thematic"
    TERRITORIAL = "territorial"


class Sector(LabelledEnum):
    """The 13 sectors of Law 13/2010, Art. 3 c.2, in the law's order."""

    ORGANIC_FARMING = "organic_farming"
    FAIR_TRADE = "fair_trade"
    COMMUNITY_WELFARE = "community_welfare"
    SHORT_SUPPLY_CHAIN = "short_supply_chain"
    GREEN_BUILDING = "green_building"
    RENEWABLE_ENERGY = "renewable_energy"
    ETHICAL_FINANCE = "ethical_finance"
    SUSTAINABLE_MOBILITY = "sustainable_mobility"
    REUSE_RECYCLING = "reuse_recycling"
    LOCAL_EXCHANGE = "local_exchange"
    FREE_SOFTWARE = "free_software"
    RESPONSIBLE_TOURISM = "responsible_tourism"
    CRITICAL_CONSUMPTION = "critical_consumption"


class Category(LabelledEnum):
    COOPERATIVE = "cooperative"
    SOCIAL_COOPERATIVE = "social_cooperative"  # Law 381/1991, type A (services) or B (work integration)
    SOCIAL_ENTERPRISE = "social_enterprise"
    PRODUCER = "producer"
    CONSUMER_GROUP = "consumer_group"
    FINANCIAL_INSTITUTION = "financial_institution"
    PUBLIC_BODY = "public_body"
    ASSOCIATION = "association"
    BUSINESS = "business"
    SCHOOL_RESEARCH = "school_research"
    INDIVIDUAL = "individual"


class Role(LabelledEnum):
    PRODUCER = "producer"
    DISTRIBUTOR = "distributor"
    CONSUMER = "consumer"
    FINANCER = "financer"
    TRAINER = "trainer"
    JOB_PLACEMENT = "job_placement"


class Attitude(LabelledEnum):
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    SCEPTIC = "sceptic"


class Stage(LabelledEnum):
    IDENTIFIED = "identified"
    CONTACTED = "contacted"
    ENGAGED = "engaged"
    MEMBER = "member"
    SIGNATORY = "signatory"


class RelationKind(LabelledEnum):
    SUPPLIES = "supplies"
    BUYS_FROM = "buys_from"
    FINANCES = "finances"
    PLACES_WORKERS = "places_workers"
    TRAINS = "trains"
    PARTNERS_WITH = "partners_with"
    GOVERNS = "governs"


class CanvasBlock(LabelledEnum):
    """The blocks of a social business-model canvas, adapted to a district (our own labels), in reading order."""

    BENEFICIARIES = "beneficiaries"
    CUSTOMERS = "customers"
    SOCIAL_VALUE = "social_value"
    ECONOMIC_VALUE = "economic_value"
    KEY_ACTIVITIES = "key_activities"
    KEY_RESOURCES = "key_resources"
    PARTNERS = "partners"
    CHANNELS = "channels"
    RELATIONSHIPS = "relationships"
    COSTS = "costs"
    REVENUES = "revenues"
    SURPLUS = "surplus"
    IMPACT = "impact"


class FlowKind(LabelledEnum):
    """What moves along a flow (close to ValueFlows' resource classes)."""

    GOODS = "goods"
    SERVICES = "services"
    MONEY = "money"
    LABOUR = "labour"
    KNOWLEDGE = "knowledge"
    ENERGY = "energy"
    REUSE = "reuse"


class FlowPurpose(LabelledEnum):
    """What a money flow is for. Loans and investments are *financing*: neither a purchase nor income."""

    PAYMENT = "payment"  # for goods or services
    WAGES = "wages"
    LOAN = "loan"  # a loan given, or its repayment
    INVESTMENT = "investment"  # equity: shares, capital contributed
    GRANT = "grant"  # grant or subsidy
    FEE = "fee"  # membership fee


FINANCING_PURPOSES = frozenset({FlowPurpose.LOAN.value, FlowPurpose.INVESTMENT.value})
# One word each, for a narrow column (the flow table); the full label everywhere else.
PURPOSE_SHORT_LABELS = {"payment": N_("Payment"), "wages": N_("Wages"), "loan": N_("Loan"),
                        "investment": N_("Investment"), "grant": N_("Grant"), "fee": N_("Fee")}


class Unit(LabelledEnum):
    """Units of a flow's quantity; ``UNITS_BY_KIND`` says which make sense for which kind."""

    EUR = "EUR"
    KG = "kg"
    TONNE = "t"
    LITRE = "l"
    CUBIC_METRE = "m3"
    PIECES = "pieces"
    ORDERS = "orders"
    HOURS = "h"
    DAYS = "days"
    JOBS = "jobs"
    PERSONS = "persons"
    FTE = "fte"
    COURSES = "courses"
    KWH = "kWh"
    MWH = "MWh"


UNITS_BY_KIND: dict[FlowKind, tuple[Unit, ...]] = {
    FlowKind.GOODS: (Unit.KG, Unit.TONNE, Unit.LITRE, Unit.PIECES, Unit.ORDERS, Unit.CUBIC_METRE),
    FlowKind.SERVICES: (Unit.HOURS, Unit.DAYS, Unit.JOBS, Unit.ORDERS),
    FlowKind.MONEY: (Unit.EUR,),
    FlowKind.LABOUR: (Unit.PERSONS, Unit.FTE, Unit.HOURS, Unit.DAYS),
    FlowKind.KNOWLEDGE: (Unit.HOURS, Unit.DAYS, Unit.COURSES, Unit.PERSONS),
    FlowKind.ENERGY: (Unit.KWH, Unit.MWH, Unit.TONNE, Unit.CUBIC_METRE, Unit.LITRE),
    FlowKind.REUSE: (Unit.KG, Unit.TONNE, Unit.PIECES, Unit.CUBIC_METRE),
}
"""The first unit of each kind is the default a new flow of that kind starts with."""


# One palette for every picture of the map (network, grid, Sankey by actor, PDF, graph exports), so a
# category has the same colour everywhere. Paul Tol's "muted" scheme (2021), made to be told apart with
# the common colour-vision deficiencies, with two more for eleven categories (Tol's vibrant orange; grey for
# individuals, who are not organisations). Eleven hues are more than any such scheme guarantees, so every
# picture also names its categories in a legend.
CATEGORY_COLOURS = {
    "cooperative": "#117733", "social_cooperative": "#44AA99", "social_enterprise": "#999933",
    "producer": "#DDCC77", "consumer_group": "#CC6677", "financial_institution": "#332288",
    "public_body": "#88CCEE", "association": "#AA4499", "business": "#882255", "school_research": "#EE7733",
    "individual": "#888888",
}
"""One colour per category, the same on the network view, the grid, the Sankey diagram and in the PDF dossier."""
UNKNOWN_CATEGORY_COLOUR = "#666666"
ATTITUDE_COLOURS = {"supporter": "#009E73", "neutral": "#999999", "sceptic": "#D55E00"}
"""Okabe & Ito (2008): bluish green, grey, vermillion: told apart with every common colour-vision deficiency."""
RELATION_COLOURS = {
    "supplies": "#E69F00", "buys_from": "#56B4E9", "finances": "#009E73", "places_workers": "#CC79A7",
    "trains": "#0072B2", "partners_with": "#999999", "governs": "#D55E00",
}
"""Okabe & Ito's palette for the kinds of relation (lines, not dots: they do not compete with the categories)."""
COMMUNITY_COLOURS = ("#332288", "#117733", "#CC6677", "#88CCEE", "#DDCC77", "#AA4499", "#44AA99", "#999933",
                     "#882255", "#E69F00", "#0072B2", "#D55E00")
"""The network's optional colouring by community (core.communities): the twelve largest groups, Tol's muted
scheme and three of Okabe & Ito's; smaller groups in SMALL_COMMUNITY_COLOUR."""
SMALL_COMMUNITY_COLOUR = "#BBBBBB"
DIRECTED_KINDS = frozenset({"supplies", "buys_from", "finances", "places_workers", "trains", "governs"})
"""Relations that go from one actor to another (drawn with an arrowhead); partners_with goes both ways."""


_LABELS: dict[type, dict[str, str]] = {
    DistrictKind: {
        "thematic": N_("Thematic"),
        "territorial": N_("Territorial"),
    },
    Sector: {
        "organic_farming": N_("Organic and biodynamic farm and food products"),
        "fair_trade": N_("Fair trade"),
        "community_welfare": N_("Community welfare"),
        "short_supply_chain": N_("Short supply chain and food quality"),
        "green_building": N_("Sustainable and green building"),
        "renewable_energy": N_("Energy saving and renewable energy"),
        "ethical_finance": N_("Ethical finance"),
        "sustainable_mobility": N_("Sustainable mobility"),
        "reuse_recycling": N_("Reuse and recycling"),
        "local_exchange": N_("Local exchange systems"),
        "free_software": N_("Free software"),
        "responsible_tourism": N_("Responsible and sustainable tourism"),
        "critical_consumption": N_("Critical consumption and solidarity purchasing groups"),
    },
    Category: {
        "cooperative": N_("Cooperative"),
        "social_cooperative": N_("Social cooperative"),
        "social_enterprise": N_("Social enterprise"),
        "producer": N_("Producer"),
        "consumer_group": N_("Consumer group"),
        "financial_institution": N_("Financial institution"),
        "public_body": N_("Public body"),
        "association": N_("Association"),
        "business": N_("Business"),
        "school_research": N_("School or research"),
        "individual": N_("Individual"),
    },
    Role: {
        "producer": N_("Producer"),
        "distributor": N_("Distributor"),
        "consumer": N_("Consumer"),
        "financer": N_("Financer"),
        "trainer": N_("Trainer"),
        "job_placement": N_("Job placement"),
    },
    Attitude: {
        "supporter": N_("Supporter"),
        "neutral": N_("Neutral"),
        "sceptic": N_("Sceptic"),
    },
    Stage: {
        "identified": N_("Identified"),
        "contacted": N_("Contacted"),
        "engaged": N_("Engaged"),
        "member": N_("Member"),
        "signatory": N_("Signatory"),
    },
    RelationKind: {
        "supplies": N_("Supplies"),
        "buys_from": N_("Buys from"),
        "finances": N_("Finances"),
        "places_workers": N_("Places workers"),
        "trains": N_("Trains"),
        "partners_with": N_("Partners with"),
        "governs": N_("Governs"),
    },
    CanvasBlock: {
        "beneficiaries": N_("Beneficiaries and members"),
        "customers": N_("Customers"),
        "social_value": N_("Social value proposition"),
        "economic_value": N_("Economic value proposition"),
        "key_activities": N_("Key activities"),
        "key_resources": N_("Key resources"),
        "partners": N_("Partners"),
        "channels": N_("Channels"),
        "relationships": N_("Relationships"),
        "costs": N_("Costs"),
        "revenues": N_("Revenues"),
        "surplus": N_("Surplus reinvestment"),
        "impact": N_("Social and environmental impact"),
    },
    FlowKind: {
        "goods": N_("Goods"),
        "services": N_("Services"),
        "money": N_("Money"),
        "labour": N_("Work placement"),
        "knowledge": N_("Knowledge"),
        "energy": N_("Energy"),
        "reuse": N_("Reuse and waste"),
    },
    FlowPurpose: {
        "payment": N_("Payment for goods or services"),
        "wages": N_("Wages"),
        "loan": N_("Loan"),
        "investment": N_("Investment"),
        "grant": N_("Grant or subsidy"),
        "fee": N_("Membership fee"),
    },
    Unit: {
        "EUR": N_("EUR"),
        "kg": N_("kg"),
        "t": N_("t"),
        "l": N_("litres"),
        "m3": N_("m³"),
        "pieces": N_("pieces"),
        "orders": N_("orders"),
        "h": N_("hours"),
        "days": N_("days"),
        "jobs": N_("jobs"),
        "persons": N_("persons"),
        "fte": N_("full-time equivalents"),
        "courses": N_("courses"),
        "kWh": N_("kWh"),
        "MWh": N_("MWh"),
    },
}


# What each kind of record is called where a message names one (a refused bundle row, a mention found at
# erasure): lower-case nouns, inserted mid-sentence.
TABLE_LABELS = {
    "district": N_("district"), "stakeholder": N_("actor"), "relation": N_("relation"),
    "charter": N_("charter"), "charter_section": N_("charter section"),
    "charter_version": N_("charter version"), "canvas_item": N_("canvas card"),
    "flow": N_("flow"), "scenario": N_("scenario"), "workshop": N_("workshop"), "participant": N_("participant"),
    "attendance": N_("attendance"), "answer": N_("exercise answer"), "conflict": N_("edit that clashed"),
    "comment": N_("comment"), "indicator_snapshot": N_("indicator snapshot"),
}
