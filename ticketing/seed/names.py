"""Names and addresses for demo customers: mixed cultures, four shipping countries."""

from __future__ import annotations

from dataclasses import dataclass

# culture: (weight, first names, last names)
CULTURES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]] = {
    "german": (
        24,
        ("Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie", "Paul", "Sophie", "Jürgen", "Katrin"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Wagner"),
    ),
    "french": (
        10,
        ("Camille", "Louis", "Chloé", "Hugo", "Léa", "Théo", "Manon", "Jules"),
        ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Fontaine"),
    ),
    "british": (
        10,
        ("Oliver", "Amelia", "Harry", "Isla", "George", "Emily", "Jack", "Charlotte"),
        ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts"),
    ),
    "turkish": (
        8,
        ("Emre", "Elif", "Mehmet", "Zeynep", "Can", "Ayşe", "Burak", "Defne"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Arslan"),
    ),
    "polish": (
        7,
        ("Jakub", "Zuzanna", "Kacper", "Julia", "Mateusz", "Maja", "Piotr", "Agnieszka"),
        ("Nowak", "Wójcik", "Mazur", "Krawczyk", "Zając", "Król", "Wróbel", "Kaczmarek"),
    ),
    "italian": (
        7,
        ("Giulia", "Marco", "Francesca", "Luca", "Chiara", "Matteo", "Sara", "Alessandro"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"),
    ),
    "spanish": (
        6,
        ("Lucía", "Pablo", "Carmen", "Javier", "Sofía", "Diego", "Elena", "Alejandro"),
        ("García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz"),
    ),
    "arabic": (
        6,
        ("Omar", "Layla", "Youssef", "Fatima", "Karim", "Amira", "Hassan", "Nour"),
        ("Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Aziz", "Hamdan", "Darwish"),
    ),
    "indian": (
        5,
        ("Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Diya", "Arjun", "Kavya"),
        ("Sharma", "Patel", "Gupta", "Iyer", "Reddy", "Nair", "Singh", "Mehta"),
    ),
    "chinese": (
        4,
        ("Wei", "Mei", "Jun", "Xiaoling", "Hao", "Yan", "Lei", "Jing"),
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao"),
    ),
    "vietnamese": (
        3,
        ("Minh", "Linh", "Anh", "Thao", "Duc", "Mai", "Quang", "Huong"),
        ("Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui"),
    ),
    "nigerian": (
        3,
        ("Chinedu", "Ngozi", "Oluwaseun", "Amara", "Emeka", "Adaeze", "Tunde", "Folake"),
        ("Okafor", "Adeyemi", "Eze", "Okonkwo", "Balogun", "Nwosu", "Adebayo", "Obi"),
    ),
    "dutch": (
        4,
        ("Daan", "Sanne", "Bram", "Fleur", "Thijs", "Lotte", "Sem", "Eva"),
        ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer"),
    ),
    "japanese": (
        3,
        ("Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi", "Yuto", "Sakura"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"),
    ),
}


@dataclass(frozen=True)
class Country:
    """A shipping country: phone prefix, cities with postal codes and street names."""

    code: str
    weight: int
    phone_prefix: str
    cities: tuple[tuple[str, tuple[str, ...]], ...]
    streets: tuple[str, ...]
    extras: tuple[str, ...]  # what goes on an address's second line


COUNTRIES: tuple[Country, ...] = (
    Country(
        code="DE",
        weight=62,
        phone_prefix="49",
        cities=(
            ("Berlin", ("10115", "10245", "10437", "12043", "13353")),
            ("Hamburg", ("20095", "22765", "22083")),
            ("München", ("80331", "80799", "81667")),
            ("Köln", ("50667", "50823", "51063")),
            ("Frankfurt am Main", ("60311", "60486", "60594")),
            ("Leipzig", ("04103", "04229")),
            ("Stuttgart", ("70173", "70197")),
            ("Dresden", ("01067", "01099")),
            ("Bremen", ("28195", "28203")),
            ("Nürnberg", ("90402", "90429")),
        ),
        streets=(
            "Hauptstraße",
            "Bahnhofstraße",
            "Gartenweg",
            "Schillerstraße",
            "Lindenallee",
            "Goethestraße",
            "Am Markt",
            "Bergstraße",
            "Friedrichstraße",
            "Kastanienweg",
        ),
        extras=("2. OG links", "Hinterhaus", "c/o Praxis Dr. Weber", "Whg. 14"),
    ),
    Country(
        code="FR",
        weight=16,
        phone_prefix="33",
        cities=(
            ("Paris", ("75003", "75011", "75015", "75018")),
            ("Lyon", ("69002", "69007")),
            ("Marseille", ("13001", "13006")),
            ("Lille", ("59000", "59800")),
            ("Toulouse", ("31000", "31400")),
            ("Bordeaux", ("33000", "33800")),
        ),
        streets=(
            "rue de la République",
            "avenue Jean Jaurès",
            "rue Victor Hugo",
            "boulevard Voltaire",
            "rue des Lilas",
            "place du Marché",
        ),
        extras=("Bâtiment B", "Appartement 12", "3e étage", "Résidence Les Tilleuls"),
    ),
    Country(
        code="GB",
        weight=14,
        phone_prefix="44",
        cities=(
            ("London", ("E1 6AN", "N1 9GU", "SE1 7PB", "SW9 8HG")),
            ("Manchester", ("M1 1AE", "M4 5JD")),
            ("Bristol", ("BS1 4DJ", "BS6 5QA")),
            ("Leeds", ("LS1 4AP", "LS6 2BP")),
            ("Edinburgh", ("EH1 1YZ", "EH6 6JJ")),
        ),
        streets=(
            "High Street",
            "Station Road",
            "Church Lane",
            "Victoria Road",
            "Park Avenue",
            "Mill Lane",
        ),
        extras=("Flat 3", "Flat 2B", "Unit 7", "The Old Bakery"),
    ),
    Country(
        code="US",
        weight=8,
        phone_prefix="1",
        cities=(
            ("New York, NY", ("10001", "10013", "11211")),
            ("Chicago, IL", ("60601", "60614")),
            ("Seattle, WA", ("98101", "98122")),
            ("Austin, TX", ("78701", "78704")),
            ("Boston, MA", ("02108", "02116")),
        ),
        streets=("Main Street", "Oak Avenue", "Maple Drive", "Elm Street", "Pine Street"),
        extras=("Apt 4B", "Suite 210", "Apt 12", "Unit 5"),
    ),
)

US_AREA_CODES = ("212", "312", "206", "512", "617", "415")
FR_MOBILE_PREFIXES = ("6", "7")
DE_MOBILE_PREFIXES = ("151", "152", "157", "160", "162", "170", "172", "176", "177")
