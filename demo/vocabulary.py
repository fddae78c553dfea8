"""Word lists for the synthetic partnership. Every person and place made from them is fictional."""

GIRLS = (
    "Amelia Olivia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Florence Emily Ella Poppy "
    "Evie Elsie Charlotte Sienna Daisy Phoebe Evelyn Sofia Ruby Alice Harper Matilda Aisha Zara Maryam Fatima "
    "Amara Leah Chloe Jessica Megan Holly Niamh Zofia Maja Oliwia Hana Priya Anaya Esme Layla Nell Tilly"
).split()
BOYS = (
    "Noah Oliver George Arthur Muhammad Leo Harry Oscar Archie Henry Theodore Freddie Jack Charlie Theo "
    "Alfie Jacob Thomas Finley Arlo William Lucas Roman Tommy Isaac Teddy Alexander Luca Edward James Joshua "
    "Albie Elijah Max Mason Reuben Ibrahim Yusuf Kai Ethan Jayden Tyler Kacper Jakub Filip Aarav Rohan Kian Ryan"
).split()
WOMEN = (
    "Sarah Emma Laura Rebecca Gemma Kirsty Hayley Stacey Danielle Natalie Amy Jodie Leanne Kelly Nicola "
    "Samina Nadia Shabana Agnieszka Magdalena Chantelle Precious Grace Joanne Claire Lisa Donna Tracey"
).split()
MEN = (
    "Daniel Lee Craig Wayne Dean Jason Scott Mark Ryan Carl Darren Stuart Paul Imran Tariq Asif Piotr "
    "Tomasz Marius Emmanuel Kwame Gary Steven Andrew Kevin Shaun Jamie Liam"
).split()
FAMILY_NAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans Walker White "
    "Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper Hill Ward Hughes Moore "
    "Clark King Harrison Lewis Baker Lee Allen Morris Khan Scott Watson Davis Parker James Bennett Young "
    "Phillips Richardson Mitchell Bailey Carter Cook Singh Shaw Bell Collins Morgan Kelly Begum Miller Cox "
    "Marshall Simpson Anderson Ellis Adams Hussain Nowak Kowalski Popescu Okoye Mensah Ahmed Ali Begum Rahman "
    "Fletcher Holmes Barker Pearson Dixon Booth Kaur Gill Hunt Lloyd Atkinson Chapman Mason Webb Rogers"
).split()
STREETS = (
    "Mill Lane, Church Street, Station Road, Victoria Road, Park Avenue, Queens Road, Orchard Close, "
    "Meadow Way, Cedar Grove, Brook Street, Willow Crescent, Chapel Row, Market Street, Alder Drive, "
    "Beech Road, Canal Side, Foundry Walk, Heath View, Kingsway, Larch Close, Newfield Road, Oak Terrace, "
    "Pinfold Lane, Quarry Hill, Rectory Lane, Sandpit Road, Tanners Yard, Union Street, Vicarage Gardens, "
    "Weavers Court"
).split(", ")
# A fictional county partnership: its towns, and the locality (area) each sits in.
TOWNS = (
    ("Ashby Marsh", "North"),
    ("Brindley", "North"),
    ("Calder Vale", "North"),
    ("Dunmere", "Central"),
    ("Eastholme", "Central"),
    ("Fenwick", "Central"),
    ("Garside", "South"),
    ("Hollins Cross", "South"),
    ("Irwell Bridge", "South"),
    ("Kestrel Moor", "Coast"),
    ("Lowther Bay", "Coast"),
)
POSTCODE_AREA = "WM"
LANGUAGES = (
    ("Polish", 0.30),
    ("Urdu", 0.18),
    ("Romanian", 0.14),
    ("Arabic", 0.12),
    ("Bengali", 0.1),
    ("Punjabi", 0.08),
    ("Tigrinya", 0.04),
    ("Kurdish", 0.04),
)
ETHNICITIES = (
    ("WBRI", 0.70),
    ("WIRI", 0.01),
    ("WIRT", 0.005),
    ("WOTH", 0.06),
    ("WROM", 0.007),
    ("MWBC", 0.02),
    ("MWBA", 0.01),
    ("MWAS", 0.015),
    ("MOTH", 0.02),
    ("AIND", 0.02),
    ("APKN", 0.04),
    ("ABAN", 0.015),
    ("AOTH", 0.01),
    ("BCRB", 0.008),
    ("BAFR", 0.03),
    ("BOTH", 0.005),
    ("CHNE", 0.004),
    ("OOTH", 0.01),
    ("REFU", 0.004),
    ("NOBT", 0.007),
)
DISABILITIES = ("MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA")
SCHOOL_STEMS = (
    "Oakfield", "Riverside", "St Anne's", "Moorside", "Hollins", "Lowther Bay", "Fenwick Park", "Castle Hill",
    "Brookside", "Meadowbank", "Northgate", "Saint Bede's", "Greenacres", "Highfield", "Westwood", "Kingfisher",
)
