"""Word lists for the demo state, and the seeded randomness every generator draws from.

Every list is fixed and every draw comes from a ``random.Random`` seeded with a
string naming what is being drawn, so the same organization or person always
comes out the same, whichever scale is being built and in whichever order.
"""

from __future__ import annotations

import functools
import math
import random
import re
import unicodedata

SEED = "leadhub-demo-v1"


def rng_for(*parts: object) -> random.Random:
    """A generator private to one thing (a district, a school's staff, a year of a profile).

    String seeds are hashed with SHA-512 by ``random``, so they give the same
    sequence on every run and every machine, unlike ``hash()``.
    """
    return random.Random(":".join([SEED, *map(str, parts)]))


@functools.cache  # a few hundred distinct names, looked up for every person
def slug_part(text: str) -> str:
    """Lower-case ASCII for email addresses and slugs: accents dropped, punctuation removed."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9-]", "", ascii_text.lower().replace(" ", ""))


def hyphen_slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


FIRST_NAMES: tuple[str, ...] = (
    "Aaliyah", "Abena", "Abigail", "Adrian", "Agnieszka", "Aisha", "Alejandro", "Alexander",
    "Alicia", "Amara", "Amina", "Amir", "Ana", "Andre", "Andrea", "Andrew", "Angela", "Anjali",
    "Anthony", "Aoife", "Arjun", "Ashley", "Beatriz", "Benjamin", "Bianca", "Brandon",
    "Brian", "Brianna", "Caleb", "Camila", "Carlos", "Carmen", "Catherine", "Chidi",
    "Christopher", "Claire", "Colleen", "Dana", "Daniel", "Darius", "David", "Deborah",
    "Declan", "Deepa", "Deja", "Diana", "Diego", "Dmitri", "Ebony", "Eduardo", "Elena",
    "Elijah", "Elizabeth", "Emily", "Emmanuel", "Eric", "Erin", "Esther", "Ewa", "Fatima",
    "Felipe", "Frank", "Gabriel", "Gabriela", "Gloria", "Grace", "Gregory", "Greta",
    "Guadalupe", "Hannah", "Hassan", "Heather", "Hector", "Hiroshi", "Hye-won", "Imani",
    "Ingrid", "Isabel", "Isaiah", "Jacqueline", "Jamal", "James", "Janet", "Jasmine",
    "Javier", "Jennifer", "Jessica", "Jesús", "Joanna", "John", "Jonathan", "Jorge",
    "Joseph", "Juan", "Julia", "Julian", "Kareem", "Karen", "Katarzyna", "Katherine",
    "Kayla", "Keisha", "Kelly", "Kenji", "Kevin", "Khalid", "Kimberly", "Kofi", "Krzysztof",
    "Kwame", "Lakshmi", "Lars", "Latoya", "Laura", "Layla", "Leah", "Leticia", "Linh",
    "Lisa", "Lucia", "Luis", "Magdalena", "Malik", "Marcus", "Marek", "Margaret", "Maria",
    "Mariana", "Mark", "Martha", "Mary", "Mateo", "Matthew", "Maya", "Megan", "Mei",
    "Melissa", "Michael", "Michelle", "Miguel", "Min-jun", "Minh", "Mohammed", "Monique",
    "Nadia", "Nancy", "Naomi", "Natalie", "Nathan", "Ngozi", "Nicole", "Noah", "Oluwaseun",
    "Olivia", "Omar", "Pablo", "Patricia", "Patrick", "Paul", "Piotr", "Priya", "Rachel",
    "Rafael", "Rahul", "Raymond", "Rebecca", "Ricardo", "Robert", "Rosa", "Ryan",
    "Samantha", "Samuel", "Sandra", "Sanjay", "Santiago", "Sara", "Scott", "Sean",
    "Siobhan", "Sofia", "Soo-jin", "Sophia", "Stephanie", "Steven", "Susan", "Tamika",
    "Tanisha", "Teresa", "Thanh", "Thomas", "Tiffany", "Timothy", "Todd", "Tomasz", "Tracy",
    "Tyrone", "Valeria", "Vanessa", "Victor", "Victoria", "Vikram", "Vivian", "Wei",
    "Wendy", "William", "Xavier", "Ximena", "Yasmin", "Yesenia", "Yolanda", "Yusuf",
    "Zachary", "Zainab",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Abdullah", "Adams", "Adeyemi", "Aguilar", "Alexander", "Ali", "Allen", "Alvarez",
    "Anderson", "Baker", "Banks", "Barnes", "Bauer", "Becker", "Bell", "Bennett", "Bianchi",
    "Booker", "Boyd", "Brooks", "Brown", "Bryant", "Bui", "Butler", "Byrne", "Campbell",
    "Carter", "Castillo", "Castro", "Chavez", "Chen", "Choi", "Clark", "Cohen", "Cole",
    "Coleman", "Contreras", "Cooper", "Crawford", "Cruz", "Dabrowski", "Dang", "Davis",
    "de la Cruz", "Delgado", "Demir", "Desai", "Diallo", "Dixon", "Do", "Dubois", "Ellis",
    "Esposito", "Estrada", "Fischer", "Fisher", "Fitzgerald", "Flores", "Ford", "Foster",
    "Freeman", "Fuentes", "Gallagher", "Garcia", "Gibson", "Goldberg", "Gonzalez", "Graham",
    "Gray", "Green", "Griffin", "Gutierrez", "Guzman", "Haddad", "Hall", "Hamilton",
    "Hansen", "Harris", "Harrison", "Hassan", "Hayes", "Henderson", "Henry", "Hernandez",
    "Herrera", "Hicks", "Hill", "Ho", "Hoffmann", "Holmes", "Horvath", "Howard", "Huang",
    "Hughes", "Hunt", "Hunter", "Iyer", "Ivanov", "Jackson", "James", "Jenkins", "Jensen",
    "Jimenez", "Johansson", "Johnson", "Jones", "Jordan", "Jung", "Kaminski", "Kang",
    "Katz", "Kaya", "Khoury", "Kim", "King", "Klein", "Koch", "Kowalski", "Kozlowski",
    "Kumar", "Larson", "Laurent", "Le", "Lee", "Lefebvre", "Levy", "Lewandowski", "Lewis",
    "Li", "Lin", "Lindqvist", "Liu", "Long", "Lopez", "Marshall", "Martin", "Martinez",
    "Mason", "McDonald", "Medina", "Mehta", "Mendoza", "Mensah", "Meyer", "Miller", "Mills",
    "Mitchell", "Moore", "Morales", "Moreau", "Moreno", "Morgan", "Murphy", "Myers",
    "Nakagawa", "Nakamura", "Navarro", "Nelson", "Neumann", "Nguyen", "Nilsson", "Novak",
    "Nowak", "O'Brien", "O'Connor", "Okafor", "Olson", "Ortiz", "Owens", "Owusu", "Palmer",
    "Papadopoulos", "Park", "Patel", "Patterson", "Peña", "Perez", "Perry", "Peterson",
    "Petrov", "Pham", "Popescu", "Porter", "Powell", "Price", "Rahman", "Ramirez", "Ramos",
    "Reddy", "Reyes", "Reynolds", "Richter", "Rios", "Rivera", "Roberts", "Robertson",
    "Robinson", "Rodriguez", "Romano", "Romero", "Ross", "Rossi", "Ruiz", "Russell",
    "Russo", "Salazar", "Sanchez", "Sanders", "Sandoval", "Sato", "Schmidt", "Schneider",
    "Schroeder", "Schultz", "Scott", "Shah", "Simmons", "Simpson", "Singh", "Soto",
    "Stevens", "Stone", "Sullivan", "Szymanski", "Tanaka", "Taylor", "Thomas", "Thompson",
    "Torres", "Tran", "Tucker", "Vargas", "Vasquez", "Vo", "Vu", "Wagner", "Walker",
    "Wallace", "Wang", "Ward", "Warren", "Washington", "Watson", "Webb", "Weber", "Wells",
    "West", "White", "Williams", "Wilson", "Wisniewski", "Wojcik", "Wood", "Wright", "Wu",
    "Yamamoto", "Yilmaz", "Young", "Zhang", "Zielinski",
)  # fmt: skip

# What colleagues call some people; a few of them use it.
NICKNAMES: dict[str, str] = {
    "Alexander": "Alex", "Andrew": "Drew", "Anthony": "Tony", "Benjamin": "Ben",
    "Catherine": "Cate", "Christopher": "Chris", "Daniel": "Dan", "Elizabeth": "Liz",
    "Gregory": "Greg", "Jacqueline": "Jackie", "Jennifer": "Jen", "Jonathan": "Jon",
    "Joseph": "Joe", "Katarzyna": "Kasia", "Katherine": "Kate", "Kimberly": "Kim",
    "Krzysztof": "Kris", "Margaret": "Maggie", "Matthew": "Matt", "Michael": "Mike",
    "Patricia": "Trish", "Rebecca": "Becky", "Robert": "Rob", "Samantha": "Sam",
    "Samuel": "Sam", "Stephanie": "Steph", "Thomas": "Tom", "Timothy": "Tim",
    "Victoria": "Tori", "William": "Will", "Zachary": "Zach",
}  # fmt: skip

# Hub regions, each with the number of the Regional Office of Education that hosts it.
HUB_REGIONS: tuple[tuple[str, int], ...] = (
    ("Northern Prairie", 4), ("Rock River", 47), ("Fox Valley", 31), ("Kishwaukee", 16),
    ("Illinois Valley", 35), ("Kankakee River", 32), ("Spoon River", 26), ("Sangamon Valley", 51),
    ("Vermilion", 54), ("Embarras", 11), ("Kaskaskia", 13), ("Shawnee Hills", 21),
    ("Big Muddy", 30), ("Wabash", 12), ("Mississippi Bluffs", 45), ("Great River", 1),
    ("Apple River", 8), ("Pecatonica", 3), ("Des Plaines", 19), ("Salt Creek", 28),
    ("Lake Shore", 34), ("Calumet", 7), ("Mackinaw", 17), ("Mazon", 24), ("Sugar Creek", 40),
    ("Crooked Creek", 9), ("Cache River", 2), ("Saline", 20), ("Macoupin", 46),
    ("Quad Rivers", 49), ("Grand Prairie", 53), ("Starved Rock", 38), ("Heartland", 48),
    ("Lincoln Trail", 50), ("Two Rivers", 43), ("Midland", 39),
)  # fmt: skip

TOWN_FIRST_PARTS: tuple[str, ...] = (
    "Ash", "Bell", "Birch", "Black", "Bridge", "Brook", "Cedar", "Clear", "Clover", "Corn",
    "Cotton", "Crane", "Deer", "Eagle", "East", "Elm", "Fair", "Fox", "Garden", "Glen", "Gold",
    "Green", "Harmony", "Hawk", "Hazel", "Heron", "Hickory", "Lake", "Liberty", "Linden",
    "Maple", "Meadow", "Mill", "North", "Oak", "Orchard", "Pine", "Pleasant", "Red", "River",
    "Rock", "Sand", "Shady", "Silver", "South", "Spring", "Stone", "Sugar", "Summer",
    "Sycamore", "Timber", "Union", "Walnut", "West", "White", "Willow", "Wolf",
)  # fmt: skip
TOWN_SECOND_PARTS: tuple[str, ...] = (
    " Falls", " Grove", "ville", "ton", " City", " Springs", " Creek", " Ridge", " Hills",
    " Park", " Point", " Valley", "field", "wood", " Heights", " Center", " Junction",
    " Prairie", " Bluff", "burg", "port", " Crossing",
)  # fmt: skip

ELEMENTARY_NAMES: tuple[str, ...] = (
    "Abraham Lincoln", "Jane Addams", "Ida B. Wells", "Gwendolyn Brooks", "Carl Sandburg",
    "Mae Jemison", "Roberto Clemente", "César Chávez", "Benito Juárez", "Rosa Parks",
    "Harriet Tubman", "Sally Ride", "Amelia Earhart", "Grace Hopper", "Thurgood Marshall",
    "Sojourner Truth", "Helen Keller", "Mark Twain", "Laura Ingalls Wilder", "John Muir",
    "Frederick Douglass", "Mary McLeod Bethune", "Langston Hughes", "Katherine Johnson",
    "Dolores Huerta", "Sonia Sotomayor", "Fred Korematsu", "Patsy Mink", "Jim Thorpe",
    "Maria Tallchief", "Ruby Bridges", "Booker T. Washington", "George Washington Carver",
    "Susan B. Anthony", "Elizabeth Blackwell", "Walt Whitman", "Emily Dickinson",
    "Prairie View", "Meadowbrook", "Oak Hill", "Willow Creek", "Riverside", "Lakeview",
    "Hillcrest", "Sunset Ridge", "Pleasant Valley", "Cedar Ridge", "Fox Run", "Stonegate",
    "Wildwood", "Briarwood", "Parkview", "Eastview", "Westview", "Northside", "Southside",
    "Greenbriar", "Hawthorne", "Highland", "Kingsley", "Longfellow", "Maplewood",
    "Orchard Place", "Pheasant Ridge", "Quail Run", "Rolling Meadows", "Sandburg Park",
    "Timber Ridge", "Twin Groves", "Walnut Trails", "Woodland", "Autumn Ridge", "Bluebird",
    "Brookside", "Centennial", "Countryside", "Creekside", "Deer Path", "Edgewood",
    "Fairview", "Forest Glen", "Golden Oaks", "Heritage", "Indian Creek", "Liberty",
    "Lincoln Prairie", "Meadow Lane", "Mill Creek", "Northwood", "Oakwood", "Pine Crest",
    "Prairie Trail", "Red Oak", "River Bend", "Rosewood", "Spring Garden", "Sugar Grove",
    "Sunnyside", "Thornwood", "Valley View", "Washington", "Jefferson", "Roosevelt",
    "Kennedy", "Madison", "Franklin", "Garfield", "Monroe", "Hoover", "Emerson", "Whittier",
)  # fmt: skip

SCHOOL_SECTIONS: tuple[str, ...] = ("North", "South", "East", "West", "Central")


def town_names() -> list[str]:
    """Every town name, in a fixed shuffled order, so district ``n`` always gets town ``n``."""
    towns = [
        first + second
        for first in TOWN_FIRST_PARTS
        for second in TOWN_SECOND_PARTS
        if second.strip().lower() not in first.lower()
    ]
    rng_for("towns").shuffle(towns)
    return towns


TOWNS: tuple[str, ...] = tuple(town_names())


def _shuffled(values: tuple[str, ...], key: str) -> tuple[str, ...]:
    items = list(values)
    rng_for(key).shuffle(items)
    return tuple(items)


# Shuffled once, so that stepping through them by a fixed stride reads as random.
_FIRST = _shuffled(FIRST_NAMES, "first-names")
_LAST = _shuffled(LAST_NAMES, "last-names")


class NamePool:
    """Distinct names for the people of one email domain, each fixed by its position.

    Position ``p`` maps to a first/last pair through an affine permutation of all
    pairs, so no two positions share a name (and so an email address) and a
    person's name does not depend on how many other people are generated.
    """

    size = len(_FIRST) * len(_LAST)

    def __init__(self, domain_key: str) -> None:
        rng = rng_for("names", domain_key)
        step = rng.randrange(self.size // 7, self.size)
        while math.gcd(step, self.size) != 1:
            step += 1
        self._step = step
        self._offset = rng.randrange(self.size)

    def name_at(self, position: int) -> tuple[str, str]:
        if not 0 <= position < self.size:
            raise ValueError(f"Only {self.size} distinct names per domain; asked for #{position}.")
        pair = (position * self._step + self._offset) % self.size
        return _FIRST[pair % len(_FIRST)], _LAST[pair // len(_FIRST)]


def email_local_part(first: str, last: str) -> str:
    return f"{slug_part(first)}.{slug_part(last)}"
