"""Invented vocabulary for people, companies, places and products. Generic words only: no real businesses."""

FIRST_NAMES = (
    "Ada", "Alan", "Alice", "Amir", "Anna", "Ben", "Bianca", "Carla", "Chen", "Chloe", "Dan", "Dara", "David",
    "Elena", "Eli", "Emma", "Farah", "Felix", "Grace", "Hana", "Hugo", "Ian", "Ines", "Ivan", "Jade", "James",
    "Jon", "Julia", "Kai", "Kira", "Leo", "Lina", "Luca", "Maya", "Mei", "Mia", "Nate", "Nina", "Noah", "Olga",
    "Omar", "Paul", "Priya", "Quinn", "Rosa", "Ruth", "Sam", "Sara", "Theo", "Tom", "Uma", "Vera", "Will", "Yara",
    "Zane", "Zoe",
)

LAST_NAMES = (
    "Abbott", "Alvarez", "Baker", "Barnes", "Bell", "Brooks", "Carter", "Chandra", "Clarke", "Cole", "Cruz",
    "Dalton", "Diaz", "Ellis", "Evans", "Fischer", "Flores", "Foster", "Garcia", "Gray", "Hale", "Hayes", "Hughes",
    "Ito", "Jensen", "Kaur", "Keller", "Khan", "Lane", "Lopez", "Marsh", "Meyer", "Mills", "Moreno", "Nash",
    "Novak", "Okafor", "Ortiz", "Park", "Patel", "Quinn", "Reyes", "Rossi", "Sato", "Shaw", "Silva", "Stone",
    "Tanaka", "Torres", "Vance", "Walsh", "Weber", "Wells", "Young", "Zhou",
)

SALUTATIONS = ("", "", "", "Mr.", "Ms.", "Mrs.", "Dr.")

COMPANY_WORDS = (
    "Amber", "Beacon", "Birch", "Blue Heron", "Brightwater", "Cedar", "Cobalt", "Copper", "Driftwood", "Elm",
    "Fernhill", "Granite", "Harbor", "Hollow Oak", "Juniper", "Kestrel", "Lantern", "Maple", "Meadow", "Northwind",
    "Oakridge", "Orchard", "Pinecrest", "Quarry", "Redwood", "Riverbend", "Saltmarsh", "Silverline", "Stonebridge",
    "Summit", "Thistle", "Timberline", "Valley", "Westfield", "Willow",
)

COMPANY_TRADES = (
    "Outfitters", "Supply", "Trading", "Goods", "Home", "Provisions", "Textiles", "Works", "Studio", "Distribution",
    "Mercantile", "Imports", "Crafts", "Wholesale", "Retail",
)

COMPANY_SUFFIXES = ("Co.", "Inc.", "LLC", "Ltd.", "Group", "")

STREET_NAMES = (
    "Acorn", "Bayview", "Birch", "Canal", "Cherry", "Church", "Clover", "Elm", "Garden", "Hill", "Lake", "Linden",
    "Main", "Maple", "Market", "Meadow", "Mill", "Oak", "Orchard", "Park", "Pine", "River", "School", "Spring",
    "Station", "Sunset", "Union", "Valley", "Walnut", "Willow",
)

STREET_KINDS = ("St", "Ave", "Rd", "Ln", "Blvd", "Way", "Ct", "Dr")

UNIT_PREFIXES = ("Suite", "Unit", "Apt", "Floor")

# (country name, Brightpearl-style country id, ISO-2, ISO-3, cities with their region, postcode pattern).
# The ids are the world's own numbering; the recorded examples show ids of this size (222, 282).
COUNTRIES = (
    ("United States", 223, "US", "USA",
     (("Springfield", "IL"), ("Riverton", "WY"), ("Fairview", "TX"), ("Madison", "WI"), ("Franklin", "TN"),
      ("Greenville", "SC"), ("Salem", "OR"), ("Georgetown", "KY"), ("Clinton", "IA"), ("Arlington", "VA")),
     "#####"),
    ("Canada", 38, "CA", "CAN",
     (("Kingston", "ON"), ("Victoria", "BC"), ("Halifax", "NS"), ("Red Deer", "AB")), "A#A #A#"),
    ("United Kingdom", 222, "GB", "GBR",
     (("Ashford", "Kent"), ("Bradford", "West Yorkshire"), ("Carlisle", "Cumbria"), ("Exeter", "Devon")),
     "AA# #AA"),
    ("Germany", 81, "DE", "DEU", (("Freiburg", "Baden-Württemberg"), ("Bremen", "Bremen")), "#####"),
    ("France", 73, "FR", "FRA", (("Rennes", "Bretagne"), ("Lyon", "Auvergne-Rhône-Alpes")), "#####"),
    ("Mexico", 138, "MX", "MEX", (("Puebla", "Puebla"), ("Mérida", "Yucatán")), "#####"),
)

PRODUCT_ADJECTIVES = (
    "Classic", "Everyday", "Heritage", "Lightweight", "Rugged", "Compact", "Deluxe", "Essential", "Field", "Urban",
    "Coastal", "Alpine", "Studio", "Travel", "Weekend", "Signature", "Vintage", "Modern", "Organic", "Premium",
)

PRODUCT_MATERIALS = (
    "Cotton", "Linen", "Wool", "Canvas", "Leather", "Bamboo", "Ceramic", "Steel", "Oak", "Walnut", "Cork",
    "Denim", "Fleece", "Merino", "Hemp", "Glass", "Copper", "Stoneware",
)

PRODUCT_NOUNS = (
    "Tote Bag", "Crew Sweater", "Throw Blanket", "Water Bottle", "Notebook", "Apron", "Backpack", "Beanie",
    "Candle", "Coffee Mug", "Cutting Board", "Desk Lamp", "Field Jacket", "Flannel Shirt", "Gloves", "Hoodie",
    "Journal", "Lunch Box", "Pillow Cover", "Planter", "Rain Jacket", "Scarf", "Serving Bowl", "Socks",
    "Sun Hat", "T-Shirt", "Tea Towel", "Wallet", "Watch Strap", "Yoga Mat",
)

BRAND_WORDS = (
    "Northfold", "Larkspur", "Tidewell", "Ember & Ash", "Quillby", "Marrow Lane", "Foxglove", "Halden",
    "Bramblecote", "Otterly", "Stillwater", "Wrenfield", "Copperkettle", "Moss & Mill", "Greyhaven", "Sunmoor",
    "Ravelin", "Ashgrove", "Kindling", "Brightbay",
)

CATEGORY_NAMES = (
    "Apparel", "Outerwear", "Knitwear", "Accessories", "Bags", "Home", "Kitchen", "Bedding", "Stationery",
    "Outdoor", "Gifts", "Footwear", "Lighting", "Garden", "Wellness", "Sale", "New Arrivals", "Bundles",
    "Kids", "Pets",
)

SEASON_NAMES = ("Spring", "Summer", "Autumn", "Winter", "Holiday", "Resort")

PRODUCT_TYPES = ("Standard", "Apparel", "Homeware", "Consumable", "Service", "Gift Card", "Kit", "Digital",
                 "Furniture", "Accessory")

# (option name, its values); products with variations pick from these.
OPTIONS = (
    ("Size", ("XS", "S", "M", "L", "XL", "XXL")),
    ("Colour", ("Black", "Navy", "Olive", "Rust", "Sand", "Grey", "White", "Teal")),
    ("Material", ("Cotton", "Wool", "Linen", "Recycled")),
    ("Pack", ("Single", "Twin", "Family")),
    ("Finish", ("Matte", "Gloss", "Natural")),
    ("Length", ("Short", "Regular", "Long")),
)

WAREHOUSES = (
    ("Main Warehouse", "warehouse"), ("East Distribution Centre", "warehouse"), ("Downtown Store", "store"),
    ("West Fulfilment Hub", "3pl"), ("Harbour Outlet", "store"), ("Overflow Depot", "warehouse"),
)

CHANNELS = ("Web Store", "Phone & Email", "Marketplace", "Wholesale", "Retail Counter", "Pop-up Events")

SHIPPING_METHODS = (
    ("Standard Ground", "STD"), ("Express 2-Day", "EXP2"), ("Next Day Air", "NDA"), ("Store Collection", "COLLECT"),
    ("Freight Pallet", "FREIGHT"), ("International Economy", "INTECO"), ("International Priority", "INTPRI"),
    ("Local Courier", "COURIER"), ("Letter Post", "LETTER"), ("Free Shipping", "FREE"),
)

CARRIERS = ("Parcel Express", "Roadline Freight", "Swift Couriers", None)

LEAD_SOURCES = ("Website", "Trade Show", "Referral", "Newsletter", "Social Media", "Search Ads", "Catalogue",
                "Walk-in")

CONTACT_GROUPS = (("VIP", "Top customers by spend"), ("Trade", "Wholesale and trade accounts"),
                  ("Newsletter", "Opted in to marketing"), ("Lapsed", "No order in a year"),
                  ("Staff", "Employees"), ("Press", "Media contacts"), ("Suppliers", "Active suppliers"),
                  ("Local", "Within delivery radius"))

MANUAL_JOURNAL_TEXTS = ("Rent", "Utilities", "Payroll accrual", "Bank charges", "Depreciation", "Insurance",
                        "Software subscription", "Petty cash top-up")
