"""What each suggested taxonomy's values mean, in words: the definitions of the domain (the
expert group's recommendations, the three functions of clusters, the challenges and the twin
transitions), used as one more example of each value, so that a value few published practices
carry yet can still be recognised. Written from the toolkit's domain notes, not learned."""

# The taxonomies suggested, by the search registry's parameter (the keys of every
# suggestion), with the practice's relation that holds them.
SUGGESTED = {
    "challenge": "challenges",
    "priority": "priorities",
    "support": "support_types",
    "recommendation": "recommendations",
}

DEFINITIONS = {
    "challenge": {
        "innovation": "innovation research and development R&D collaborative research new "
        "products technology transfer innovation projects",
        "skills": "skills training education talent workforce qualifications vocational "
        "apprenticeships human resources upskilling reskilling",
        "value-chains": "value chains supply chains industrial ecosystems suppliers cross-sector "
        "linkages smart specialisation",
        "internationalisation": "internationalisation international cooperation export foreign "
        "markets cross-border partners abroad global",
    },
    "priority": {
        "green-transition": "green transition climate environment energy efficiency renewable "
        "low-carbon circular economy sustainability decarbonisation",
        "digital-transition": "digital transition digitalisation digital technologies data "
        "artificial intelligence Industry 4.0 ICT software",
        "resilience": "resilience crisis recovery COVID-19 pandemic supply disruption shocks "
        "strategic autonomy",
    },
    "support": {
        "intelligence": "market intelligence foresight studies mapping analysis information "
        "monitoring observatory benchmarking strategy",
        "networking": "networking collaborative networks brokerage matchmaking platforms "
        "partnerships cooperation events cluster organisations",
        "business-services": "business services advisory consulting coaching vouchers support "
        "to SMEs start-ups access to finance services for firms",
    },
    "recommendation": {
        "r1": "clusters drivers of change accelerators enablers of the green transition",
        "r2": "circular economy strategies action plans recycling resource efficiency",
        "r3": "European alliances missions clusters contribute",
        "r4": "capacity building programmes sustainable advisory services cluster managers",
        "r5": "clusters intermediaries support the green transition of SMEs",
        "r6": "digital and green skills initiatives training upskilling",
        "r7": "cluster capacity advanced business services",
        "r8": "Digital Innovation Hubs DIH EDIH",
        "r9": "Public-Private Partnerships PPP",
        "r10": "strategic agents implementation of European digital policies",
        "r11": "collective intelligence resilient value chains supply chains",
        "r12": "local labour markets jobs employment",
        "r13": "shared value initiatives social responsibility communities",
        "r14": "strategic approach international cluster collaboration internationalisation",
        "r15": "cross-sectoral interdisciplinary transnational cluster collaboration",
    },
}

# Phrases that, found in a practice's words, point to a value few practices carry yet: the
# signal of last resort, checked against the practices that do carry it (``Suggester.fit``).
PHRASES = {
    "recommendation": {
        "r1": ["drivers of change", "enablers of the green transition"],
        "r2": ["circular economy", "circular"],
        "r3": ["european alliance", "eu mission", "european mission"],
        "r4": ["capacity building", "capacity-building", "cluster managers", "cluster management"],
        "r5": ["green transition of smes", "sustainable advisory"],
        "r6": ["green skills", "digital skills"],
        "r7": ["advanced business services"],
        "r8": ["digital innovation hub", "edih"],
        "r9": ["public-private partnership", "public private partnership", "ppp"],
        "r10": ["european digital polic", "digital decade"],
        "r11": ["value chain", "supply chain"],
        "r12": ["labour market", "labor market"],
        "r13": ["shared value", "social cohesion"],
        "r14": [
            "international cluster",
            "international cooperation",
            "internationalisation",
            "international markets",
            "partners abroad",
        ],
        "r15": ["cross-sectoral", "cross-sector", "interdisciplinary", "transnational"],
    },
}
