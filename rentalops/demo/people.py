"""The demo house's clients, venues, kinds of event, crew skills, certificates, names and demo users.

Everything here is invented: company names, venues and people are fictional; phone numbers sit in the UK's
drama ranges and e-mail addresses under ``.example``.
"""

# (code, name, short name used in job titles, kind, contact)
CLIENTS: list[tuple[str, str, str, str, str]] = [
    ("northwind", "Northwind Traders plc", "Northwind", "corporate", "Hannah Cole"),
    ("contoso-pharma", "Contoso Pharmaceuticals", "Contoso", "corporate", "Raj Mehta"),
    ("fabrikam-motors", "Fabrikam Motors UK", "Fabrikam", "corporate", "Lucy Barnes"),
    ("helix-biotech", "Helix Biotech", "Helix", "corporate", "Dr Owen Price"),
    ("meridian-bank", "Meridian Bank", "Meridian", "corporate", "Charlotte Hughes"),
    ("vantage-telecom", "Vantage Telecom", "Vantage", "corporate", "Imran Qureshi"),
    ("bluewater-insurance", "Bluewater Insurance Group", "Bluewater", "corporate", "Fiona Graham"),
    ("kestrel-software", "Kestrel Software", "Kestrel", "corporate", "Ben Adeyemi"),
    ("orion-logistics", "Orion Logistics", "Orion", "corporate", "Sarah Kowalski"),
    ("summit-retail", "Summit Retail Group", "Summit", "corporate", "James Fletcher"),
    ("lumen-energy", "Lumen Energy", "Lumen", "corporate", "Aoife Brennan"),
    ("atlas-engineering", "Atlas Engineering", "Atlas", "corporate", "Peter Lindqvist"),
    ("greenleaf-foods", "Greenleaf Foods", "Greenleaf", "corporate", "Megan Doyle"),
    ("cobalt-cloud", "Cobalt Cloud Systems", "Cobalt", "corporate", "Tariq Hussain"),
    ("sterling-hart", "Sterling & Hart LLP", "Sterling & Hart", "corporate", "Victoria Ashworth"),
    ("polaris-aerospace", "Polaris Aerospace", "Polaris", "corporate", "Graham Mackenzie"),
    ("quantum-analytics", "Quantum Analytics", "Quantum", "corporate", "Nadia Rahman"),
    ("beacon-health", "Beacon Health", "Beacon Health", "corporate", "Rachel Osei"),
    ("ironbridge", "Ironbridge Construction", "Ironbridge", "corporate", "Liam Gallagher"),
    ("nimbus-air", "Nimbus Airways", "Nimbus", "corporate", "Sophie Turner"),
    ("national-dental", "National Dental Congress", "National Dental", "association", "Dr Anita Shah"),
    ("euro-cardio", "European Cardiology Forum", "EuroCardio", "association", "Prof. Henrik Berg"),
    ("idm-institute", "Institute of Digital Marketing", "IDM", "association", "Chloe Evans"),
    ("northern-housing", "Northern Housing Federation", "Northern Housing", "association", "Dave Whitfield"),
    ("renewable-engineers", "Society of Renewable Engineers", "SRE", "association", "Katie Morgan"),
    ("retail-forum", "British Retail Forum", "Retail Forum", "association", "Simon Clarke"),
    ("blue-lantern", "Blue Lantern Events", "Blue Lantern", "agency", "Ella Fitzgerald-Moore"),
    ("spark-co", "Spark & Co Live", "Spark & Co", "agency", "Josh Bennett"),
    ("momentum-bx", "Momentum Brand Experiences", "Momentum", "agency", "Priyanka Desai"),
    ("crimson-door", "Crimson Door Productions", "Crimson Door", "agency", "Mark Ellison"),
    ("eventide", "Eventide Agency", "Eventide", "agency", "Zara Ahmed"),
    ("velvet-static", "The Velvet Static", "The Velvet Static", "touring", "Ruth Daniels (tour manager)"),
    ("orchestra-north", "Orchestra of the North", "Orchestra of the North", "touring", "Alistair Kerr"),
    ("midnight-parade", "Midnight Parade", "Midnight Parade", "touring", "Conor Byrne (tour manager)"),
    ("electric-meadow", "Electric Meadow", "Electric Meadow", "touring", "Jade Simmons"),
    ("kite-collective", "Kite Collective", "Kite Collective", "touring", "Olu Bakare"),
    ("harbour-lights", "Harbour Lights Trust", "Harbour Lights", "charity", "Margaret Quinn"),
    ("ocean-futures", "Ocean Futures Foundation", "Ocean Futures", "charity", "Tom Ridley"),
    ("channel-north", "Channel North Television", "Channel North", "broadcast", "Gemma Shaw"),
    ("lionheart-esports", "Lionheart Esports League", "Lionheart", "broadcast", "Kieran Lowe"),
]

# (code, name, city, capacity, kind)
VENUES: list[tuple[str, str, str, int, str]] = [
    ("thames-gateway-ec", "Thames Gateway Exhibition Centre", "London", 12000, "convention"),
    ("irwell-cc", "Irwell Convention Centre", "Manchester", 8000, "convention"),
    ("clyde-waterfront-cc", "Clyde Waterfront Conference Centre", "Glasgow", 3000, "convention"),
    ("midlands-icc", "Midlands International Convention Centre", "Birmingham", 3500, "convention"),
    ("forth-bay-cc", "Forth Bay Conference Centre", "Edinburgh", 1200, "convention"),
    ("liffey-quay-cc", "Liffey Quay Convention Centre", "Dublin", 2000, "convention"),
    ("mersey-docks-hall", "Mersey Docks Exhibition Hall", "Liverpool", 4000, "convention"),
    ("harbourside-cc", "Harbourside Conference Centre", "Bristol", 1500, "convention"),
    ("grand-regent-ballroom", "The Grand Regent Hotel, Great Ballroom", "London", 1800, "hotel"),
    ("kensington-park-crystal", "Kensington Park Hotel, Crystal Ballroom", "London", 900, "hotel"),
    ("midland-grand-octagon", "The Midland Grand, Octagon Ballroom", "Manchester", 700, "hotel"),
    ("caledonian-quay-ballroom", "Caledonian Quay Hotel, Ballroom", "Edinburgh", 600, "hotel"),
    ("hotel-aurelia-great-hall", "Hotel Aurelia, Great Hall", "Birmingham", 1000, "hotel"),
    ("merchant-hotel-ballroom", "The Merchant Hotel, Ballroom", "Leeds", 500, "hotel"),
    ("cotswold-manor-orangery", "Cotswold Manor Hotel, Orangery", "Cheltenham", 300, "hotel"),
    ("northern-lights-arena", "Northern Lights Arena", "Glasgow", 13000, "arena"),
    ("pennine-arena", "Pennine Arena", "Leeds", 13500, "arena"),
    ("victoria-square-arena", "Victoria Square Arena", "Birmingham", 15000, "arena"),
    ("docklands-arena", "Docklands Arena", "London", 20000, "arena"),
    ("bay-arena", "Bay Arena", "Cardiff", 7500, "arena"),
    ("royal-crescent-theatre", "Royal Crescent Theatre", "Bath", 900, "theatre"),
    ("lyceum-playhouse", "The Lyceum Playhouse", "Sheffield", 1100, "theatre"),
    ("corn-exchange", "Corn Exchange", "Cambridge", 1700, "theatre"),
    ("victoria-hall", "Victoria Hall", "Newcastle", 2000, "theatre"),
    ("old-mill-studios", "Old Mill Studios, Studio 1", "Salford", 400, "studio"),
]

# Kind of event -> (show start hour, show end hour, fewest and most show days, venue kinds it fits,
# weight of each weekday Mon..Sun for the first show day).
EVENT_TYPES: dict[str, tuple[float, float, int, int, tuple[str, ...], tuple[float, ...]]] = {
    "conference": (8.5, 18.0, 1, 3, ("convention", "hotel"), (0.8, 1.4, 1.5, 1.2, 0.4, 0.0, 0.0)),
    "gala": (19.0, 23.5, 1, 1, ("hotel", "convention"), (0.2, 0.5, 0.8, 1.4, 1.6, 1.2, 0.1)),
    "awards": (19.0, 23.0, 1, 1, ("hotel", "theatre"), (0.1, 0.6, 1.0, 1.4, 1.2, 0.3, 0.0)),
    "launch": (
        10.0,
        16.0,
        1,
        2,
        ("convention", "hotel", "studio", "arena"),
        (0.6, 1.2, 1.2, 1.2, 0.6, 0.1, 0.0),
    ),
    "concert": (19.5, 23.0, 1, 2, ("arena", "theatre"), (0.2, 0.4, 0.6, 1.0, 1.6, 1.8, 0.6)),
    "broadcast": (18.0, 22.0, 1, 2, ("studio", "arena", "theatre"), (0.3, 0.6, 0.8, 1.0, 1.4, 1.4, 0.4)),
}

# Client kind -> (title after the client's short name, kind of event)
EVENTS: dict[str, list[tuple[str, str]]] = {
    "corporate": [
        ("Sales Kickoff", "conference"),
        ("Leadership Summit", "conference"),
        ("Partner Conference", "conference"),
        ("Customer Forum", "conference"),
        ("All-Hands Town Hall", "launch"),
        ("Product Launch", "launch"),
        ("Investor Day", "launch"),
        ("Gala Dinner", "gala"),
        ("Awards Night", "awards"),
    ],
    "association": [
        ("Annual Congress", "conference"),
        ("Regional Symposium", "conference"),
        ("Members' Conference", "conference"),
        ("Awards Dinner", "awards"),
        ("President's Gala", "gala"),
    ],
    "agency": [
        ("Automotive Reveal", "launch"),
        ("Fashion Week Showcase", "launch"),
        ("Retail Roadshow", "conference"),
        ("Incentive Gala", "gala"),
        ("Brand Experience", "launch"),
    ],
    "touring": [
        ("Live", "concert"),
        ("Autumn Tour", "concert"),
        ("Anniversary Concert", "concert"),
    ],
    "charity": [("Gala Dinner", "gala"), ("Charity Ball", "gala"), ("Fundraising Auction", "awards")],
    "broadcast": [
        ("Live Final", "broadcast"),
        ("Studio Audience Show", "broadcast"),
        ("Season Launch", "launch"),
    ],
}

# Weeks (counted from the start of this UTC week) of the conference-season peaks: a peak week with a busy
# shoulder either side, several times the usual bookings, so that the solver meets sub-rental and over-hire.
PEAK_WEEKS: dict[int, float] = {3: 1.8, 4: 3.6, 9: 4.0, 10: 1.8}

# (slug, name, department, related skills a career path passes through, weight as a staff speciality,
# weight as a freelance speciality). The slugs are the solver's role ids.
SKILLS: list[tuple[str, str, str, tuple[str, ...], int, int]] = [
    ("audio-a1", "A1 / FOH audio engineer", "audio", ("audio-a2", "monitor-engineer", "system-tech"), 5, 5),
    (
        "audio-a2",
        "A2 / stage and RF audio tech",
        "audio",
        ("audio-a1", "monitor-engineer", "stagehand"),
        6,
        6,
    ),
    ("monitor-engineer", "Monitor engineer", "audio", ("audio-a1", "audio-a2"), 2, 3),
    ("system-tech", "PA system technician", "audio", ("audio-a2", "audio-a1", "rigger"), 3, 3),
    (
        "lighting-ld",
        "Lighting director / operator",
        "lighting",
        ("lighting-programmer", "lighting-tech"),
        4,
        4,
    ),
    ("lighting-programmer", "Lighting programmer", "lighting", ("lighting-ld", "lighting-tech"), 2, 3),
    (
        "lighting-tech",
        "Lighting technician",
        "lighting",
        ("lighting-ld", "rigger", "power-tech", "stagehand"),
        6,
        6,
    ),
    ("video-v1", "V1 / video engineer", "video", ("camera-op", "led-wall-tech", "projectionist"), 4, 4),
    ("camera-op", "Camera operator", "video", ("video-v1", "stagehand"), 3, 7),
    ("led-wall-tech", "LED wall technician", "video", ("video-v1", "rigger", "stagehand"), 4, 5),
    ("projectionist", "Projectionist", "video", ("video-v1", "led-wall-tech"), 2, 2),
    ("rigger", "Rigger", "rigging", ("stagehand", "lighting-tech", "system-tech"), 6, 8),
    ("stage-manager", "Stage manager", "staging", ("stagehand", "audio-a2"), 2, 3),
    ("stage-carpenter", "Stage carpenter", "staging", ("stagehand", "rigger"), 2, 3),
    ("power-tech", "Power technician", "power", ("lighting-tech", "stagehand"), 2, 2),
    ("stagehand", "Stagehand", "staging", ("stage-carpenter", "rigger", "lighting-tech", "audio-a2"), 7, 13),
]

# Skills whose day rate sits above or below the level's base rate.
SKILL_RATE_FACTOR: dict[str, float] = {
    "audio-a1": 1.15,
    "lighting-ld": 1.15,
    "lighting-programmer": 1.2,
    "video-v1": 1.15,
    "monitor-engineer": 1.1,
    "stage-manager": 1.1,
    "stagehand": 0.8,
}

# Freelance day rate by level in the speciality, before the skill factor. Staff cost about 80% of it per day.
LEVEL_DAY_RATE: dict[int, int] = {1: 200, 2: 260, 3: 330, 4: 410, 5: 520}

# (slug, name, months valid, number prefix)
CERTIFICATION_TYPES: list[tuple[str, str, int, str]] = [
    ("rigging", "Arena rigging certificate", 60, "RIG"),
    ("forklift", "Counterbalance forklift (RTITB)", 36, "FLT"),
    ("working-at-height", "Working at height / MEWP (IPAF 3a/3b)", 60, "IPAF"),
    ("electrical", "Temporary power distribution (BS 7909)", 60, "BS7909"),
    ("first-aid", "First aid at work", 36, "FAW"),
]

# Skill -> [(certification type, share of people with that speciality or side skill who hold it)]
CERTIFICATES_BY_SKILL: dict[str, list[tuple[str, float]]] = {
    "rigger": [("rigging", 0.95), ("working-at-height", 0.9)],
    "system-tech": [("working-at-height", 0.6)],
    "led-wall-tech": [("working-at-height", 0.7)],
    "lighting-tech": [("working-at-height", 0.5), ("electrical", 0.3)],
    "power-tech": [("electrical", 0.95)],
    "stagehand": [("forklift", 0.35)],
    "stage-carpenter": [("forklift", 0.5), ("working-at-height", 0.3)],
    "stage-manager": [("first-aid", 0.8)],
}

HOLIDAY_REASONS = ["Annual leave", "Family holiday", "Wedding", "Training course", "Medical appointment"]
FREELANCE_AWAY_REASONS = [
    "Booked by another company",
    "Touring elsewhere",
    "Holiday",
    "Festival season contract",
]

STAFF_BASES = ["Manchester", "Manchester", "Manchester", "London", "London", "Glasgow"]
FREELANCE_BASES = [
    "Manchester", "London", "Leeds", "Birmingham", "Glasgow", "Bristol", "Liverpool", "Sheffield",
    "Edinburgh", "Newcastle", "Nottingham", "Cardiff", "Dublin",
]  # fmt: skip

FIRST_NAMES = [
    "Aaron", "Abdul", "Adaeze", "Aidan", "Aisha", "Alex", "Alice", "Amara", "Amelia", "Andrzej", "Anika",
    "Arjun", "Beatriz", "Ben", "Bethany", "Bilal", "Caitlin", "Callum", "Carla", "Chen", "Chidi", "Chloe",
    "Ciaran", "Connor", "Dan", "Daniela", "Darius", "Declan", "Divya", "Dominika", "Eamon", "Elif", "Ellie",
    "Emeka", "Erin", "Ewan", "Farah", "Femi", "Finn", "Freya", "Gareth", "Georgia", "Hamza", "Harriet",
    "Harvey", "Hiroshi", "Holly", "Ibrahim", "Imogen", "Isla", "Jack", "Jamal", "Jasmine", "Jonas",
    "Jordan", "Kai", "Karim", "Kasia", "Keisha", "Kwame", "Laila", "Leon", "Lewis", "Lina", "Luca", "Maeve",
    "Malik", "Marta", "Matteo", "Maya", "Mohammed", "Niamh", "Nikhil", "Noah", "Oisin", "Olivia", "Omar",
    "Oskar", "Paulina", "Priya", "Rhys", "Rosa", "Rory", "Ruby", "Samir", "Sanjay", "Seren", "Siobhan",
    "Stefan", "Tamsin", "Theo", "Tomasz", "Uma", "Yusuf", "Zainab", "Zoe",
]  # fmt: skip
LAST_NAMES = [
    "Abbott", "Achebe", "Ahmed", "Ali", "Andersson", "Baker", "Banerjee", "Barker", "Bell", "Boateng",
    "Brennan", "Campbell", "Carter", "Chowdhury", "Clarke", "Collins", "Costa", "Cunningham", "Davies",
    "Dixon", "Doherty", "Edwards", "Evans", "Farrell", "Fernandes", "Fischer", "Foster", "Fraser", "Gill",
    "Gordon", "Grant", "Green", "Hall", "Harris", "Hayes", "Hughes", "Iqbal", "Jackson", "Jenkins",
    "Johnson", "Kaur", "Kelly", "Khan", "Kowalczyk", "Lambert", "Lewis", "Lloyd", "Macdonald", "Mahmood",
    "Marsh", "Mensah", "Miller", "Mitchell", "Moreno", "Murphy", "Nakamura", "Nguyen", "Novak", "Nowak",
    "O'Brien", "O'Connor", "Okafor", "Owusu", "Palmer", "Parry", "Patel", "Pearce", "Popescu", "Quinn",
    "Rahman", "Reid", "Roberts", "Rossi", "Ryan", "Schmidt", "Scott", "Sharma", "Silva", "Singh",
    "Sullivan", "Taylor", "Thomas", "Thompson", "Varga", "Walker", "Wallace", "Ward", "Watson", "Williams",
    "Wilson", "Wright", "Young", "Zielinski",
]  # fmt: skip

# (username, first name, last name, role, superuser). Everyone's password is DEMO_PASSWORD.
DEMO_PASSWORD = "rentalops-demo"
DEMO_USERS: list[tuple[str, str, str, str, bool]] = [
    ("sales", "Priya", "Shah", "sales", False),
    ("planner", "Tom", "Whitaker", "planner", False),
    ("coordinator", "Grace", "Okafor", "coordinator", False),
    ("admin", "Alex", "Morgan", "admin", True),
]
