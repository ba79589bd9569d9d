//! Synthetic dossiers for benchmarks: a deterministic, seeded generator of dossiers of any size.
//!
//! [`generate`] writes `content/site.yaml`, `content/articles/<id>.md` and `content/claims.yaml`
//! under a folder. The articles read like news reports (500-900 words in 8-15 paragraphs, curly
//! quotes and apostrophes, dashes, numbers with thousands separators, dates, names, attributions,
//! some **bold**, _emphasis_ and links); the claims quote them verbatim, the way a curator would:
//! whole words, sometimes with `...` elision within a paragraph, sometimes with straight quotes
//! or hyphens where the source has typographic ones.
//!
//! Articles come in *stories* of five consecutive articles reporting one event; the articles of
//! a story state the same facts (counts, dates, a year, a name), each in its own words and
//! precision ("about 12,000", "more than 12,000", "12,400"), and now and then a figure that
//! disagrees. About a fifth of the claims carry a typed value (quantity, date, year or text)
//! and quote those fact sentences; a few claims set a source that supports them against one
//! that contradicts them. About 5% of the claims end up disputed.
//!
//! Every quote is checked here, with a matcher independent of [`dossier::anchor`], to occur
//! exactly once in its source, so the generated dossier builds with no error and no warning.
//! The same arguments always give the same bytes (own splitmix64 generator; each article and
//! each claim has its own stream derived from the seed and its index).

use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// What [`generate`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub articles: usize,
    pub claims: usize,
    pub quotes: usize,
    /// Words in the article bodies.
    pub words: usize,
    /// Bytes of all files written.
    pub bytes: u64,
    /// Claims with a typed value.
    pub valued_claims: usize,
    /// Claims with a quote that contradicts them.
    pub contradicted_claims: usize,
    /// Quotes with `...`, `…` or `[...]`.
    pub elided_quotes: usize,
    /// Quotes whose typography differs from the source's (straight quotes, hyphens).
    pub retyped_quotes: usize,
    pub topics: usize,
}

/// Articles per story (one event, reported by several outlets).
const STORY: usize = 5;

// ------------------------------------------------------------------------------------------
// Randomness

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, good enough for text.
#[derive(Clone)]
struct Rng(u64);

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// An independent stream for (`seed`, `stream`, `index`).
    fn derive(seed: u64, stream: u64, index: u64) -> Rng {
        Rng(mix(seed
            ^ mix(stream.wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ mix(index.wrapping_add(0x632B_E59B_D9B4_E019)))))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

// ------------------------------------------------------------------------------------------
// Vocabulary

struct Outlet {
    name: &'static str,
    slug: &'static str,
    /// Straight quotes and apostrophes instead of curly ones.
    straight: bool,
    /// "March 14, 2024" rather than "14 March 2024".
    us_dates: bool,
    /// Spaced en dash " – " rather than spaced em dash " — ".
    en_dash: bool,
}

const fn o(
    name: &'static str,
    slug: &'static str,
    straight: bool,
    us_dates: bool,
    en_dash: bool,
) -> Outlet {
    Outlet {
        name,
        slug,
        straight,
        us_dates,
        en_dash,
    }
}

const OUTLETS: &[Outlet] = &[
    o(
        "The Northern Ledger",
        "northern-ledger",
        false,
        false,
        false,
    ),
    o(
        "Harbour City Courier",
        "harbour-courier",
        false,
        false,
        true,
    ),
    o("Valley Times", "valley-times", false, true, false),
    o("The Daily Meridian", "daily-meridian", false, false, false),
    o("Coastal Post", "coastal-post", true, true, false),
    o("Metro Wire", "metro-wire", true, true, false),
    o(
        "The Evening Chronicle",
        "evening-chronicle",
        false,
        false,
        true,
    ),
    o(
        "Riverside Gazette",
        "riverside-gazette",
        false,
        false,
        false,
    ),
    o("National Public Radio Service", "nprs", true, true, false),
    o("The Continental", "continental", false, false, true),
    o("Highland Herald", "highland-herald", false, false, false),
    o("Eastern Observer", "eastern-observer", false, true, false),
    o("The Plainsman", "plainsman", true, true, false),
    o("Lakeside Daily", "lakeside-daily", false, true, false),
    o(
        "The Weekly Standard-Bearer",
        "standard-bearer",
        false,
        false,
        true,
    ),
    o("Capital Dispatch", "capital-dispatch", false, true, false),
    o("Southern Mail", "southern-mail", false, false, true),
    o("The Frontier Review", "frontier-review", true, false, false),
    o("Union Press Agency", "upa", false, true, false),
    o(
        "The Independent Signal",
        "independent-signal",
        false,
        false,
        false,
    ),
    o("Borderland News", "borderland-news", true, true, false),
    o("The Morning Tribune", "morning-tribune", false, true, false),
    o("Western Examiner", "western-examiner", false, false, true),
    o("The Civic Record", "civic-record", false, false, false),
];

const FIRST: &[&str] = &[
    "Anna", "Tomasz", "Leila", "Kwame", "Sofia", "Mateo", "Ingrid", "Rahul", "Chloe", "Dmitri",
    "Amara", "Jonas", "Mei", "Diego", "Fatima", "Oskar", "Priya", "Liam", "Yusuf", "Elena",
    "Henrik", "Nadia", "Samuel", "Aiko", "Marta", "Kofi", "Julia", "Arjun", "Grace", "Pavel",
    "Lucia", "Tariq", "Helen", "Noah", "Zainab", "Felix", "Irene", "Omar", "Clara", "Viktor",
    "Rosa", "Daniel", "Hana", "Emeka", "Sara", "Bruno", "Aisha", "Stefan",
];

const LAST: &[&str] = &[
    "Kowalski",
    "Haddad",
    "Mensah",
    "Lindqvist",
    "Okafor",
    "O’Neill",
    "Moreau",
    "Tanaka",
    "Petrenko",
    "Da Silva",
    "Novak",
    "Achterberg",
    "Raman",
    "Fischer",
    "McAllister",
    "Abadi",
    "Horvath",
    "Nakamura",
    "Brennan",
    "Costa",
    "Eriksen",
    "Varga",
    "D’Amico",
    "Okonkwo",
    "Sandoval",
    "Bauer",
    "Lindgren",
    "Rossi",
    "Khalil",
    "Van Dijk",
    "Jovanović",
    "Ferreira",
    "Schultz",
    "Amadi",
    "Whitfield",
    "Kaminski",
    "Osei",
    "Laurent",
    "Castellanos",
    "Hughes",
    "Nieminen",
    "Barros",
    "Oyelaran",
    "Strand",
    "Kapoor",
    "Duarte",
    "Molnár",
    "Quinn",
    "Adeyemi",
    "Sørensen",
    "Gallagher",
    "Yilmaz",
    "Marchetti",
    "Iwu",
    "Hoffmann",
    "Reyes",
    "Thornton",
    "Zielinski",
];

const PLACE_A: &[&str] = &[
    "Mar", "Kel", "Ash", "Brin", "Cor", "Dun", "Fel", "Gar", "Hal", "Lin", "Mor", "Nor", "Pen",
    "Ros", "Sel", "Tor", "Ver", "Wen", "Yar", "Zel", "Ald", "Bel", "Cas", "Dor", "Elm", "Fen",
    "Glen", "Hart", "Kings", "Lark",
];

const PLACE_B: &[&str] = &[
    "low", "ford", "mouth", "ton", "bury", "wick", "haven", "stead", "field", "port", "ridge",
    "dale", "more", "gate", "holm", "by", "brook", "hurst", "well", "cliff",
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: &[&str] = &[
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
];

/// A kind of event: what its stories count, date and name.
struct EventKind {
    /// "the floods"
    event: &'static str,
    /// "flood"
    noun: &'static str,
    /// (who or what is counted, what happened to them, the claim's unit)
    counts: [(&'static str, &'static str, &'static str); 4],
    /// Two things that happened on a date.
    dated: [&'static str; 2],
    /// (a structure, what happened in its year: "was completed")
    built: (&'static str, &'static str),
    /// What the name is of: "the relief operation"
    named: &'static str,
    /// An allegation that some sources make and others deny.
    allegation: &'static str,
    /// The allegation as a claim.
    allegation_claim: &'static str,
}

const KINDS: &[EventKind] = &[
    EventKind {
        event: "the floods",
        noun: "flood",
        counts: [
            ("residents", "had been evacuated from {place}", "residents"),
            (
                "homes",
                "were damaged or destroyed across {region}",
                "homes",
            ),
            (
                "rescue workers",
                "were deployed to the worst-hit districts",
                "workers",
            ),
            (
                "people",
                "were treated in hospital for injuries and hypothermia",
                "people",
            ),
        ],
        dated: [
            "the river burst its banks",
            "a state of emergency was declared",
        ],
        built: ("flood barrier", "was completed"),
        named: "the relief operation",
        allegation: "warnings about the flood barrier had been ignored for years",
        allegation_claim: "Warnings about the flood barrier had been ignored for years.",
    },
    EventKind {
        event: "the wildfire",
        noun: "wildfire",
        counts: [
            (
                "hectares of forest",
                "have burned since the fire started",
                "hectares",
            ),
            (
                "residents",
                "were ordered to leave their homes",
                "residents",
            ),
            (
                "firefighters",
                "were battling the blaze on three fronts",
                "firefighters",
            ),
            (
                "buildings",
                "were destroyed in the hills above {place}",
                "buildings",
            ),
        ],
        dated: ["the fire broke out", "the evacuation order was lifted"],
        built: ("forest reserve", "was established"),
        named: "the firefighting operation",
        allegation: "firebreaks around the reserve had not been maintained",
        allegation_claim: "Firebreaks around the forest reserve had not been maintained.",
    },
    EventKind {
        event: "the port strike",
        noun: "strike",
        counts: [
            (
                "dock workers",
                "walked out at the {place} terminal",
                "workers",
            ),
            ("containers", "were stranded on the quays", "containers"),
            ("ships", "were waiting offshore to unload", "ships"),
            ("jobs", "are at risk under the automation plan", "jobs"),
        ],
        dated: [
            "the strike began",
            "talks between the union and the port authority resumed",
        ],
        built: ("current labour agreement", "was signed"),
        named: "the automation plan",
        allegation: "the port authority had hired replacement crews during the strike",
        allegation_claim: "The port authority hired replacement crews during the strike.",
    },
    EventKind {
        event: "the bridge collapse",
        noun: "collapse",
        counts: [
            (
                "vehicles",
                "crossed the bridge every day before it collapsed",
                "vehicles",
            ),
            ("people", "were injured when the span gave way", "people"),
            (
                "commuters",
                "have been affected by the closure",
                "commuters",
            ),
            (
                "inspection reports",
                "had been filed on the structure",
                "reports",
            ),
        ],
        dated: ["the bridge collapsed", "the investigation was opened"],
        built: ("bridge", "was built"),
        named: "the investigation",
        allegation: "inspectors had flagged corrosion in the main cables",
        allegation_claim: "Inspectors had flagged corrosion in the bridge’s main cables.",
    },
    EventKind {
        event: "the chemical spill",
        noun: "spill",
        counts: [
            ("litres of solvent", "leaked into the river", "litres"),
            (
                "households",
                "were told not to drink tap water",
                "households",
            ),
            ("fish", "were found dead downstream of {place}", "fish"),
            (
                "water samples",
                "have been tested since the leak",
                "samples",
            ),
        ],
        dated: [
            "the leak was detected",
            "the drinking-water warning was lifted",
        ],
        built: ("solvent plant", "opened"),
        named: "the clean-up programme",
        allegation: "the plant had reported the leak hours later than the law requires",
        allegation_claim: "The plant reported the leak later than the law requires.",
    },
    EventKind {
        event: "the blackout",
        noun: "blackout",
        counts: [
            ("households", "lost power across {region}", "households"),
            (
                "passengers",
                "were stranded on trains outside {place}",
                "passengers",
            ),
            (
                "engineers",
                "worked through the night to restore supply",
                "engineers",
            ),
            (
                "businesses",
                "reported losses to the chamber of commerce",
                "businesses",
            ),
        ],
        dated: ["the power went out", "supply was fully restored"],
        built: ("substation", "was commissioned"),
        named: "the grid upgrade",
        allegation: "the grid operator had postponed maintenance at the substation",
        allegation_claim: "The grid operator had postponed maintenance at the substation.",
    },
    EventKind {
        event: "the landslide",
        noun: "landslide",
        counts: [
            ("people", "remain missing after the landslide", "people"),
            (
                "rescuers",
                "are searching the debris with dogs and drones",
                "rescuers",
            ),
            ("homes", "were buried under mud and rock", "homes"),
            (
                "tonnes of rock",
                "slid down the hillside above {place}",
                "tonnes",
            ),
        ],
        dated: ["the hillside gave way", "the search was scaled back"],
        built: ("access road", "was paved"),
        named: "the search operation",
        allegation: "geologists had warned that the slope was unstable",
        allegation_claim: "Geologists had warned that the slope was unstable.",
    },
    EventKind {
        event: "the cyberattack on the hospital",
        noun: "cyberattack",
        counts: [
            ("patients", "had their appointments cancelled", "patients"),
            (
                "records",
                "may have been accessed by the attackers",
                "records",
            ),
            ("staff", "were unable to log in to the system", "staff"),
            (
                "computers",
                "were taken offline as a precaution",
                "computers",
            ),
        ],
        dated: [
            "the attack was discovered",
            "the hospital’s systems came back online",
        ],
        built: ("records system", "was introduced"),
        named: "the recovery plan",
        allegation: "the hospital had paid a ransom to the attackers",
        allegation_claim: "The hospital paid a ransom to the attackers.",
    },
];

const SUBJECTS: &[&str] = &[
    "local businesses",
    "the regional council",
    "emergency crews",
    "volunteers",
    "insurers",
    "the transport ministry",
    "opposition lawmakers",
    "residents of {place}",
    "aid agencies",
    "the police",
    "school officials",
    "engineers",
    "hospital staff",
    "farmers in the area",
    "union representatives",
    "the mayor’s office",
    "environmental groups",
    "the national weather service",
    "the army",
    "shop owners on the high street",
    "independent experts",
    "the health authority",
    "the interior ministry",
    "neighbouring towns",
    "church groups",
    "{org}",
    "families in {place}",
    "the fire service",
    "the coastguard",
    "the national audit office",
];

const VPS: &[&str] = &[
    "had asked for more time to assess the damage",
    "were still waiting for compensation",
    "warned that repairs could take months",
    "struggled to reach outlying villages",
    "opened {num} temporary beds",
    "received {num} calls for help",
    "called for an independent inquiry",
    "set up a hotline for families",
    "criticised the slow response",
    "pledged {money} in emergency funding",
    "reopened {small} of the {small2} closed roads",
    "cancelled classes for the rest of the week",
    "distributed {num} bottles of water",
    "said they had not been warned",
    "began clearing debris from the main square",
    "expected the cost to exceed {money}",
    "questioned the official figures",
    "asked the government to extend the deadline",
    "reported {small} incidents overnight",
    "had been on standby since {weekday}",
    "flew in {small} specialist teams from abroad",
    "held an emergency meeting at {time}",
    "were told to expect further disruption",
    "urged people to avoid the area",
    "sent {small} lorries of supplies",
    "promised to publish a full report by {month}",
    "had spent {money} on preparations since {year}",
    "rejected calls to resign",
    "described the situation as “stable but fragile”",
    "said the figures would be revised",
    "counted {num} claims in the first {small} days",
    "moved {small} patients to other hospitals",
    "asked residents to report damage online",
    "stopped short of blaming the operator",
    "welcomed the decision",
    "closed {small} schools as a precaution",
    "warned of looting in abandoned streets",
    "extended the curfew until {weekday}",
    "recorded {pct} more calls than on a normal day",
    "said they would appeal",
];

const ATTRIBS: &[&str] = &[
    "officials said",
    "the council said in a statement",
    "according to {org}",
    "{person} said",
    "a spokesperson for {org} said",
    "local media reported",
    "police said",
    "{person} told reporters",
    "the ministry said on {weekday}",
    "witnesses said",
    "{person}, {role}, said",
    "figures released on {weekday} showed",
];

const ASIDES: &[&str] = &[
    "a figure officials expect to rise",
    "more than double the first estimate",
    "the highest number since records began in {year}",
    "although the data are incomplete",
    "according to preliminary figures",
    "a claim the government disputes",
    "the second time in {small} years",
    "roughly {pct} of the total",
    "up from {num} a week earlier",
    "a number that could not be independently verified",
];

const SPEECH: &[&str] = &[
    "We have never seen anything like this",
    "We are doing everything we can to reach {num} families",
    "Nobody told us what was happening",
    "The priority now is to get people back into their homes",
    "We need answers, and we need them quickly",
    "It will take years to rebuild what was lost in a single night",
    "I have lived here for {small} years and I have never been this frightened",
    "There was no warning — it was just there",
    "We’re asking people to stay away from the area",
    "Every hour counts",
    "This is not the time for blame",
    "We warned them in {year} and nobody listened",
    "My neighbours lost everything",
    "The numbers will go up, I’m afraid",
    "We don’t yet know what caused it",
    "Our teams have been working around the clock since {weekday}",
    "It’s a miracle nobody else was hurt",
    "I can’t say when the roads will reopen",
    "We will find out what went wrong",
    "People are angry, and they have every right to be",
];

const ROLES: &[&str] = &[
    "the mayor of {place}",
    "a spokesperson for {org}",
    "the regional governor",
    "a senior engineer at {org}",
    "a shop owner in {place}",
    "a resident of {place}",
    "the head of {org}",
    "an analyst at the Institute for Public Safety",
    "a union leader",
    "the interior minister",
    "a volunteer coordinator",
    "a professor of civil engineering",
];

const ADJS: &[&str] = &[
    "misleading",
    "premature",
    "baseless",
    "irresponsible",
    "inaccurate",
    "speculative",
    "unfounded",
];

const NAME_A: &[&str] = &[
    "Silver", "Northern", "Blue", "Iron", "Open", "Clear", "Steady", "Bright", "Granite",
    "Evening", "Safe", "Amber",
];
const NAME_B: &[&str] = &[
    "Harbour", "Shield", "Lantern", "Bridge", "Horizon", "Anchor", "Compass", "Gate", "Meadow",
    "Beacon",
];

const HEADINGS: &[&str] = &[
    "‘No warning’",
    "Questions over the response",
    "A long recovery",
    "What happens next",
    "Counting the cost",
    "Anger in {place}",
];

/// Topics: (id, title, description).
const TOPICS: &[(&str, &str, &str)] = &[
    (
        "casualties",
        "Casualties",
        "How many people were killed, hurt or are missing.",
    ),
    (
        "evacuations",
        "Evacuations",
        "Who had to leave, and when they could return.",
    ),
    (
        "damage",
        "Damage",
        "Homes, buildings and land damaged or destroyed.",
    ),
    (
        "response",
        "The emergency response",
        "Who was **deployed**, where and when.",
    ),
    (
        "timeline",
        "Timeline",
        "When things happened, as each source dates them.",
    ),
    (
        "background",
        "Background",
        "The history of the places and structures involved.",
    ),
    (
        "names",
        "Names and designations",
        "What operations, plans and programmes are called.",
    ),
    (
        "warnings",
        "Warnings and responsibility",
        "Who was warned, and who denies it.",
    ),
    (
        "funding",
        "Funding and costs",
        "Money pledged, spent and lost.",
    ),
    (
        "infrastructure",
        "Infrastructure",
        "Roads, bridges, power and water.",
    ),
    (
        "health",
        "Health",
        "Hospitals, patients and public-health advice.",
    ),
    (
        "environment",
        "Environment",
        "Rivers, forests and wildlife.",
    ),
    ("economy", "Economy", "Businesses, jobs and trade."),
    ("politics", "Politics", "What politicians said and did."),
    (
        "investigations",
        "Investigations",
        "Inquiries, audits and police investigations.",
    ),
    ("recovery", "Recovery", "Rebuilding and compensation."),
    ("weather", "Weather", "Forecasts and conditions."),
    ("transport", "Transport", "Trains, roads and ports."),
    (
        "communications",
        "Communications",
        "How the public was told.",
    ),
    (
        "accounts",
        "Witness accounts",
        "What residents and witnesses said they saw.",
    ),
];

// ------------------------------------------------------------------------------------------
// Dates

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn iso(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

fn weekday(day: i64) -> &'static str {
    WEEKDAYS[day.rem_euclid(7) as usize]
}

// ------------------------------------------------------------------------------------------
// Numbers

/// `12400` -> `12,400`.
fn sep(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n` to two significant digits, rounded down / nearest / up.
fn sig2(n: u64) -> (u64, u64, u64) {
    let mut step = 1;
    while n / step >= 100 {
        step *= 10;
    }
    let down = n / step * step;
    let up = down + step;
    let near = if n - down >= step / 2 { up } else { down };
    (down, near, up)
}

/// A count for filler text: 10 to 99,999.
fn small_count(rng: &mut Rng) -> u64 {
    let mag = [10u64, 100, 1_000, 10_000][rng.below(4)];
    mag + rng.below((mag * 9) as usize) as u64
}

/// A count that is not a round number (so "more than" and "about" forms are exact).
fn count(rng: &mut Rng) -> u64 {
    let mag = [100u64, 1_000, 1_000, 10_000, 10_000, 100_000][rng.below(6)];
    loop {
        let n = mag + rng.below((mag * 9) as usize) as u64;
        let (down, _, _) = sig2(n);
        if n != down {
            return n;
        }
    }
}

// ------------------------------------------------------------------------------------------
// Stories

struct Story {
    kind: &'static EventKind,
    place: String,
    region: String,
    people: Vec<(String, String)>,
    orgs: Vec<String>,
    counts: [u64; 4],
    days: [i64; 2],
    year: i64,
    name: String,
    other_name: String,
}

fn place_name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(PLACE_A), rng.pick(PLACE_B))
}

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST), rng.pick(LAST))
}

fn story(seed: u64, s: usize) -> Story {
    let mut rng = Rng::derive(seed, 1, s as u64);
    let kind = rng.pick(KINDS);
    let place = place_name(&mut rng);
    let region = match rng.below(3) {
        0 => format!("the {} region", place_name(&mut rng)),
        1 => format!("{} County", place_name(&mut rng)),
        _ => format!("the {} Valley", place_name(&mut rng)),
    };
    let orgs = vec![
        format!("the {place} town council"),
        format!("the {} authority", region.trim_start_matches("the ")),
        "the national emergency agency".to_string(),
        format!(
            "{} {}",
            rng.pick(LAST),
            rng.pick(&["Industries", "Logistics", "Energy", "Water", "Holdings"])
        ),
        format!("{place} General Hospital"),
    ];
    let mut people = Vec::new();
    for _ in 0..5 {
        let role = *rng.pick(ROLES);
        let role = fill_simple(role, &place, &orgs[rng.below(orgs.len())]);
        people.push((person(&mut rng), role));
    }
    let d0 = days_from_civil(2023, 1, 1) + rng.below(3 * 365) as i64;
    let name = format!("Operation {} {}", rng.pick(NAME_A), rng.pick(NAME_B));
    let other_name = loop {
        let n = format!("Operation {} {}", rng.pick(NAME_A), rng.pick(NAME_B));
        if n != name {
            break n;
        }
    };
    Story {
        kind,
        place,
        region,
        people,
        orgs,
        counts: [
            count(&mut rng),
            count(&mut rng),
            count(&mut rng),
            count(&mut rng),
        ],
        days: [d0, d0 + rng.range(1, 20) as i64],
        year: 1950 + rng.below(66) as i64,
        name,
        other_name,
    }
}

fn fill_simple(t: &str, place: &str, org: &str) -> String {
    t.replace("{place}", place).replace("{org}", org)
}

// ------------------------------------------------------------------------------------------
// Articles

/// A range of tokens of one paragraph.
#[derive(Clone, Copy, Debug)]
struct Spot {
    para: usize,
    start: usize,
    end: usize,
}

/// A fact as one article states it.
#[derive(Clone, Debug)]
struct Stated {
    spot: Spot,
    /// The value as the curator writes it.
    value: String,
}

/// The facts of a story: 4 counts, 2 dates, a year, a name.
const FACTS: usize = 8;

struct Para {
    heading: bool,
    tokens: Vec<String>,
}

struct Article {
    id: String,
    outlet: &'static Outlet,
    paras: Vec<Para>,
    /// The plain text of the body as the matcher sees it, folded; blocks joined by `\n`.
    folded: String,
    facts: Vec<Stated>,
    allegation: Spot,
    denial: Spot,
    markdown: String,
    words: usize,
}

/// Folds typography the way quote matching ignores it (for the uniqueness check only).
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        })
        .collect()
}

/// How many times `needle` occurs in `hay` (overlapping), up to 2.
fn occurrences(hay: &str, needle: &str) -> usize {
    let mut n = 0;
    let mut at = 0;
    while let Some(i) = hay[at..].find(needle) {
        n += 1;
        if n == 2 {
            break;
        }
        at += i + hay[at + i..].chars().next().map_or(1, char::len_utf8);
    }
    n
}

/// Builds sentences for one article, in the outlet's typography.
struct Writer<'a> {
    rng: Rng,
    st: &'a Story,
    outlet: &'static Outlet,
    day: i64,
}

impl Writer<'_> {
    fn date(&self, day: i64) -> String {
        let (y, m, d) = civil_from_days(day);
        let month = MONTHS[(m - 1) as usize];
        if self.outlet.us_dates {
            format!("{month} {d}, {y}")
        } else {
            format!("{d} {month} {y}")
        }
    }

    fn month_year(&self, day: i64) -> String {
        let (y, m, _) = civil_from_days(day);
        format!("{} {y}", MONTHS[(m - 1) as usize])
    }

    fn person(&mut self) -> String {
        let i = self.rng.below(self.st.people.len());
        self.st.people[i].0.clone()
    }

    fn fill(&mut self, t: &str) -> String {
        let mut out = String::with_capacity(t.len() + 16);
        let mut rest = t;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let j = rest[i..].find('}').map_or(rest.len(), |j| i + j);
            let slot = &rest[i + 1..j];
            let v = match slot {
                "place" => self.st.place.clone(),
                "region" => self.st.region.clone(),
                "org" => self.st.orgs[self.rng.below(self.st.orgs.len())].clone(),
                "person" => self.person(),
                "role" => {
                    let r = self.rng.pick(ROLES);
                    self.fill(r)
                }
                "num" => sep(small_count(&mut self.rng)),
                "small" => (2 + self.rng.below(40)).to_string(),
                "small2" => (42 + self.rng.below(40)).to_string(),
                "money" => match self.rng.below(3) {
                    0 => format!("€{}.{} million", 1 + self.rng.below(90), self.rng.below(10)),
                    1 => format!("${} million", 1 + self.rng.below(400)),
                    _ => format!("£{} million", 1 + self.rng.below(60)),
                },
                "pct" => format!("{} per cent", 2 + self.rng.below(80)),
                "year" => (1990 + self.rng.below(33)).to_string(),
                "weekday" => self.rng.pick(WEEKDAYS).to_string(),
                "month" => self.rng.pick(MONTHS).to_string(),
                "time" => format!("{}:{:02}", 6 + self.rng.below(16), self.rng.below(12) * 5),
                other => other.to_string(),
            };
            out.push_str(&v);
            rest = &rest[(j + 1).min(rest.len())..];
        }
        out.push_str(rest);
        out
    }

    fn attrib(&mut self) -> String {
        let t = self.rng.pick(ATTRIBS);
        self.fill(t)
    }

    fn clause(&mut self) -> String {
        let s = self.rng.pick(SUBJECTS);
        let v = self.rng.pick(VPS);
        let s = self.fill(s);
        let v = self.fill(v);
        format!("{s} {v}")
    }

    /// Applies the outlet's typography and capitalises.
    fn finish(&self, s: String) -> String {
        let mut s = if self.outlet.en_dash {
            s.replace(" \u{2014} ", " \u{2013} ")
        } else {
            s
        };
        if self.outlet.straight {
            s = s
                .replace(['\u{2018}', '\u{2019}'], "'")
                .replace(['\u{201C}', '\u{201D}'], "\"");
        }
        capitalise(&s)
    }

    /// A filler sentence.
    fn filler(&mut self) -> String {
        let s = match self.rng.below(9) {
            0 | 1 => {
                let c = self.clause();
                let a = self.attrib();
                format!("{c}, {a}.")
            }
            2 => {
                let sp = self.rng.pick(SPEECH);
                let sp = self.fill(sp);
                let (p, role) = self.st.people[self.rng.below(self.st.people.len())].clone();
                match self.rng.below(3) {
                    0 => format!("\u{201C}{sp},\u{201D} said {p}, {role}."),
                    1 => format!("\u{201C}{sp},\u{201D} {p} said."),
                    _ => format!("{p}, {role}, said: \u{201C}{sp}.\u{201D}"),
                }
            }
            3 => {
                let m = self.rng.pick(MONTHS);
                let y = 2000 + self.rng.below(23);
                let c = self.clause();
                let a = self.rng.pick(ASIDES);
                let a = self.fill(a);
                format!("In {m} {y}, {c} \u{2014} {a}.")
            }
            4 => {
                let c1 = self.clause();
                let c2 = self.clause();
                format!("{c1}; {c2}.")
            }
            5 => {
                let p = self.person();
                let c = self.clause();
                let o = self.outlet.name;
                format!("{p} told {o} that {c}.")
            }
            6 => {
                let n = sep(small_count(&mut self.rng));
                let y = 1995 + self.rng.below(28);
                let c = self.clause();
                format!("The figure compares with {n} in {y}, when {c}.")
            }
            7 => {
                let c = self.clause();
                let p = self.person();
                let sp = self.rng.pick(SPEECH);
                let sp = self.fill(sp);
                format!("Asked whether {c}, {p} said: \u{201C}{sp}.\u{201D}")
            }
            _ => {
                let c = self.clause();
                let a = self.rng.pick(ASIDES);
                let a = self.fill(a);
                format!("{c}, {a}.")
            }
        };
        self.finish(s)
    }

    /// The sentence stating fact `f`, and the value as the curator writes it. `diverge`: state
    /// a value that disagrees with the story.
    fn fact(&mut self, f: usize, diverge: bool) -> (String, String) {
        let st = self.st;
        let k = st.kind;
        let (s, value) = match f {
            0..=3 => {
                let n = st.counts[f];
                let (down, near, up) = sig2(n);
                let (what, happened, _) = k.counts[f];
                let happened = self.fill(happened);
                let w = |v: u64, rng: &mut Rng| {
                    if rng.chance(0.5) {
                        sep(v)
                    } else {
                        v.to_string()
                    }
                };
                let (form, value) = if diverge {
                    let d = if self.rng.chance(0.5) {
                        n * (20 + self.rng.below(10) as u64) / 10
                    } else {
                        n * (3 + self.rng.below(3) as u64) / 10
                    };
                    (sep(d), w(d, &mut self.rng))
                } else {
                    match self.rng.below(10) {
                        0..=3 => (sep(n), w(n, &mut self.rng)),
                        4 => (
                            format!("about {}", sep(near)),
                            format!("~{}", w(near, &mut self.rng)),
                        ),
                        5 => (
                            format!("an estimated {}", sep(near)),
                            format!("~{}", w(near, &mut self.rng)),
                        ),
                        6 => (
                            format!("more than {}", sep(down)),
                            format!(">{}", w(down, &mut self.rng)),
                        ),
                        7 => (
                            format!("at least {}", sep(down)),
                            format!(">={}", w(down, &mut self.rng)),
                        ),
                        8 => (
                            format!("up to {}", sep(up)),
                            format!("<={}", w(up, &mut self.rng)),
                        ),
                        _ => (
                            format!("between {} and {}", sep(down), sep(up)),
                            format!("{}-{}", w(down, &mut self.rng), w(up, &mut self.rng)),
                        ),
                    }
                };
                let a = self.attrib();
                let s = match self.rng.below(3) {
                    0 => format!("{form} {what} {happened}, {a}."),
                    1 => format!(
                        "By {} evening, {form} {what} {happened}, {a}.",
                        weekday(self.day)
                    ),
                    _ => {
                        let org = st.orgs[self.rng.below(st.orgs.len())].clone();
                        format!("According to {org}, {form} {what} {happened}.")
                    }
                };
                (s, value)
            }
            4 | 5 => {
                let day = if diverge {
                    st.days[f - 4] + [-3, -2, -1, 1, 2, 3][self.rng.below(6)]
                } else {
                    st.days[f - 4]
                };
                let what = k.dated[f - 4];
                let (when, value) = if !diverge && self.rng.chance(0.2) {
                    (
                        format!("in {}", self.month_year(day)),
                        iso(day)[..7].to_string(),
                    )
                } else {
                    (format!("on {}", self.date(day)), iso(day))
                };
                let a = self.attrib();
                let s = if a.starts_with("according") || self.rng.chance(0.5) {
                    format!("{what} {when}, {a}.")
                } else {
                    format!("{a} that {what} {when}.")
                };
                (s, value)
            }
            6 => {
                let (thing, verb) = k.built;
                let (when, value) = if diverge {
                    let y = st.year + [-8, -6, -5, 4, 5, 7][self.rng.below(6)];
                    (format!("in {y}"), y.to_string())
                } else if self.rng.chance(0.2) {
                    (
                        format!("between {} and {}", st.year - 1, st.year + 1),
                        format!("{}-{}", st.year - 1, st.year + 1),
                    )
                } else {
                    (format!("in {}", st.year), st.year.to_string())
                };
                let place = &st.place;
                let c = self.clause();
                let s = match self.rng.below(2) {
                    0 => format!(
                        "The {place} {thing}, which {verb} {when}, was at the centre of the debate as {c}."
                    ),
                    _ => format!(
                        "Records show the {place} {thing} {verb} {when} \u{2014} long before {c}."
                    ),
                };
                (s, value)
            }
            _ => {
                let name = if diverge {
                    st.other_name.clone()
                } else {
                    st.name.clone()
                };
                let n = sep(count(&mut self.rng));
                let s = match self.rng.below(2) {
                    0 => format!(
                        "{}, code-named \u{201C}{name}\u{201D}, has so far cost {n} hours of overtime, {}.",
                        k.named,
                        self.attrib()
                    ),
                    _ => format!(
                        "Officials called {} \u{201C}{name}\u{201D} and said it would involve {n} staff.",
                        k.named
                    ),
                };
                (s, name)
            }
        };
        (self.finish(s), value)
    }
}

fn capitalise(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        // A sentence that opens with a quotation mark: capitalise the first letter inside it.
        Some(c) if !c.is_alphanumeric() => {
            let rest: String = cs.collect();
            format!("{c}{}", capitalise(&rest))
        }
        Some(c) => c.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

fn words_of(s: &str) -> Vec<String> {
    s.split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn starts_alnum(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_alphanumeric)
}

fn ends_alnum(s: &str) -> bool {
    s.chars().next_back().is_some_and(char::is_alphanumeric)
}

/// How likely one article states one fact with a value that disagrees with the story.
const DIVERGE: f64 = 0.06;

fn article(seed: u64, i: usize, st: &Story, first_of_story: usize) -> Article {
    let mut rng = Rng::derive(seed, 2, i as u64);
    // Now and then a later version of the story's previous article, from the same outlet.
    let revision_of = (i > first_of_story && rng.chance(REVISION)).then(|| i - 1);
    let outlet = &OUTLETS[outlet_of(seed, i, first_of_story)];
    let id = article_id(seed, i, first_of_story);
    let day = st.days[0] + rng.range(0, 6) as i64;
    let mut w = Writer {
        rng: Rng::derive(seed, 3, i as u64),
        st,
        outlet,
        day,
    };

    // The sentences that must appear: facts, the allegation and its denial.
    let mut must: Vec<(usize, String)> = Vec::new(); // (kind: fact index, or FACTS / FACTS + 1)
    let mut values = Vec::with_capacity(FACTS);
    for f in 0..FACTS {
        let diverge = rng.chance(DIVERGE);
        let (s, v) = w.fact(f, diverge);
        values.push(v);
        must.push((f, s));
    }
    {
        let p = w.person();
        let org = st.orgs[w.rng.below(st.orgs.len())].clone();
        let s = format!(
            "{p} said {} \u{2014} an account {org} has not confirmed.",
            st.kind.allegation
        );
        let s = w.finish(s);
        must.push((FACTS, s));
        let (a, b) = (w.rng.pick(ADJS), w.rng.pick(ADJS));
        let org = st.orgs[w.rng.below(st.orgs.len())].clone();
        let s = format!(
            "{org} denied that {}, calling the reports \u{201C}{a} and {b}\u{201D}.",
            st.kind.allegation
        );
        let s = w.finish(s);
        must.push((FACTS + 1, s));
    }
    // Shuffle the order of the must-have sentences (Fisher-Yates).
    for x in (1..must.len()).rev() {
        let y = rng.below(x + 1);
        must.swap(x, y);
    }

    let n_paras = rng.range(8, 15);
    let target_words = rng.range(500, 900);
    let per_para = target_words / n_paras;
    let heading_at = rng.chance(0.15).then(|| rng.range(3, n_paras - 2));
    let mut paras: Vec<Para> = Vec::new();
    let mut facts: Vec<Option<Stated>> = vec![None; FACTS];
    let mut allegation = None;
    let mut denial = None;
    // Must-have sentences are spread over paragraphs 1..n_paras.
    let mut must_at: Vec<Vec<usize>> = vec![Vec::new(); n_paras];
    for k in 0..must.len() {
        must_at[1 + k * (n_paras - 1) / must.len()].push(k);
    }
    for (p, mine) in must_at.into_iter().enumerate() {
        if heading_at == Some(p) {
            let h = w.rng.pick(HEADINGS);
            let h = w.fill(h);
            let h = w.finish(h);
            paras.push(Para {
                heading: true,
                tokens: words_of(&h),
            });
        }
        let para_index = paras.len();
        let mut tokens: Vec<String> = Vec::new();
        if p == 0 {
            // The lead: dateline, the first count, the event.
            let place = st.place.to_uppercase();
            let c = w.clause();
            let a = w.attrib();
            let s = format!(
                "{place} \u{2014} {} struck {} on {}, and {c}, {a}.",
                st.kind.event,
                st.place,
                weekday(day)
            );
            tokens.extend(words_of(&w.finish(s)));
        }
        let mut mine = mine.into_iter().peekable();
        while tokens.len() + 10 < per_para || mine.peek().is_some() {
            // Put must-have sentences among fillers.
            let take_must = mine.peek().is_some() && (tokens.is_empty() || w.rng.chance(0.5));
            if take_must {
                let k = mine.next().unwrap_or_default();
                let (kind, s) = &must[k];
                let ws = words_of(s);
                let spot = Spot {
                    para: para_index,
                    start: tokens.len(),
                    end: tokens.len() + ws.len(),
                };
                tokens.extend(ws);
                match *kind {
                    f if f < FACTS => {
                        facts[f] = Some(Stated {
                            spot,
                            value: values[f].clone(),
                        })
                    }
                    f if f == FACTS => allegation = Some(spot),
                    _ => denial = Some(spot),
                }
            } else {
                let s = w.filler();
                tokens.extend(words_of(&s));
            }
        }
        paras.push(Para {
            heading: false,
            tokens,
        });
    }

    // Markdown: one line per paragraph, with a little emphasis and some links.
    let mut md = String::with_capacity(8 * 1024);
    let mut plain_blocks: Vec<String> = Vec::with_capacity(paras.len());
    let mut words = 0;
    for (pi, para) in paras.iter().enumerate() {
        words += para.tokens.len();
        plain_blocks.push(para.tokens.join(" "));
        if para.heading {
            let _ = writeln!(md, "## {}\n", para.tokens.join(" "));
            continue;
        }
        // Spans: (start, end, kind) over tokens, not overlapping.
        let mut spans: Vec<(usize, usize, u8)> = Vec::new();
        for (kind, p, lo, hi) in [(0u8, 0.15, 1, 4), (1u8, 0.12, 1, 3), (2u8, 0.2, 2, 5)] {
            if !w.rng.chance(p) || para.tokens.len() < hi + 2 {
                continue;
            }
            for _ in 0..8 {
                let len = w.rng.range(lo, hi);
                let s = w.rng.below(para.tokens.len() - len);
                let e = s + len;
                let ok = starts_alnum(&para.tokens[s])
                    && ends_alnum(&para.tokens[e - 1])
                    && para.tokens[s..e]
                        .iter()
                        .all(|t| !t.contains(['*', '_', '[', ']']))
                    && para.tokens[s..e - 1].iter().all(|t| ends_alnum(t))
                    && spans.iter().all(|&(a, b, _)| e < a || s > b);
                if ok {
                    spans.push((s, e, kind));
                    break;
                }
            }
        }
        for (ti, t) in para.tokens.iter().enumerate() {
            if ti > 0 {
                md.push(' ');
            }
            for &(s, _, kind) in &spans {
                if s == ti {
                    md.push_str(["**", "_", "["][kind as usize]);
                }
            }
            md.push_str(t);
            for &(_, e, kind) in &spans {
                if e == ti + 1 {
                    match kind {
                        0 => md.push_str("**"),
                        1 => md.push('_'),
                        _ => {
                            let _ = write!(
                                md,
                                "](https://example.org/{}/{i}-{pi})",
                                slug_of(&st.place)
                            );
                        }
                    }
                }
            }
        }
        md.push_str("\n\n");
    }
    let folded = fold(&plain_blocks.join("\n"));
    let facts = facts
        .into_iter()
        .map(|f| f.expect("every fact is placed"))
        .collect();
    Article {
        id,
        outlet,
        paras,
        folded,
        facts,
        allegation: allegation.expect("placed"),
        denial: denial.expect("placed"),
        markdown: front_matter(seed, i, st, outlet, day, revision_of, &mut rng) + &md,
        words,
    }
}

/// How likely an article is a later version of the story's previous article.
const REVISION: f64 = 0.03;

/// Whether article `i` is a revision of article `i - 1` (the first draw of its stream, as in
/// [`article`]).
fn is_revision(seed: u64, i: usize, first_of_story: usize) -> bool {
    i > first_of_story && Rng::derive(seed, 2, i as u64).chance(REVISION)
}

/// The outlet of article `i`: a revision has its original's.
fn outlet_of(seed: u64, i: usize, first_of_story: usize) -> usize {
    let mut i = i;
    while is_revision(seed, i, first_of_story) {
        i -= 1;
    }
    Rng::derive(seed, 4, i as u64).below(OUTLETS.len())
}

fn article_id(seed: u64, i: usize, first_of_story: usize) -> String {
    format!(
        "{}-{:05}",
        OUTLETS[outlet_of(seed, i, first_of_story)].slug,
        i
    )
}

fn slug_of(s: &str) -> String {
    dossier::model::slugify(s)
}

/// YAML double-quoted scalar.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn front_matter(
    seed: u64,
    i: usize,
    st: &Story,
    outlet: &Outlet,
    day: i64,
    revision_of: Option<usize>,
    rng: &mut Rng,
) -> String {
    let mut fm = String::from("---\n");
    let k = st.kind;
    let title = match rng.below(4) {
        0 => format!("{}: what we know about {}", st.place, k.event),
        1 => format!(
            "{} in {}: {} {} {}",
            capitalise(k.noun),
            st.place,
            sep(st.counts[0]),
            k.counts[0].0,
            "affected"
        ),
        2 => format!("Questions mount in {} after {}", st.place, k.event),
        _ => format!(
            "\u{2018}We need answers\u{2019}: {} counts the cost of {}",
            st.place, k.event
        ),
    };
    let _ = writeln!(fm, "title: {}", q(&title));
    let attribution_unknown = rng.chance(0.02);
    if attribution_unknown {
        let _ = writeln!(fm, "outlet: \"Unidentified outlet\"");
    } else {
        let _ = writeln!(fm, "outlet: {}", q(outlet.name));
    }
    if !attribution_unknown && rng.chance(0.8) {
        let _ = writeln!(
            fm,
            "url: \"https://example.org/{}/{}/{i}\"",
            outlet.slug,
            slug_of(&st.place)
        );
    }
    if rng.chance(0.9) {
        let _ = writeln!(fm, "published: {}", iso(day));
    }
    if rng.chance(0.7) {
        let _ = writeln!(fm, "author: {}", q(&person(rng)));
    }
    if attribution_unknown {
        let _ = writeln!(fm, "attribution: unknown");
        let _ = writeln!(
            fm,
            "note: \"Received as plain text with no masthead; the title is the curator's.\""
        );
    } else if rng.chance(0.05) {
        let _ = writeln!(fm, "attribution: inferred");
        let _ = writeln!(
            fm,
            "note: \"The outlet is inferred from the text's **house style**.\""
        );
    }
    if let Some(p) = revision_of {
        let _ = writeln!(fm, "revision_of: {}", article_id(seed, p, i - i % STORY));
    }
    fm.push_str("---\n");
    fm
}

// ------------------------------------------------------------------------------------------
// Claims

struct QuoteOut {
    source: usize,
    text: String,
    stance: &'static str,
    value: Option<String>,
    via: Option<String>,
}

/// A quote of tokens `spot` of article `a` (widened to at least 8 words and cut to at most
/// 25), or `None` when no such window occurs exactly once.
fn quote_at(a: &Article, spot: Spot, keep: usize, rng: &mut Rng) -> Option<String> {
    let toks = &a.paras[spot.para].tokens;
    let (mut s, mut e) = (spot.start, spot.end);
    while e - s > 25 {
        // Cut from the side away from the token to keep.
        if keep - s > e - keep { s += 1 } else { e -= 1 }
    }
    while e - s < 8 {
        if e < toks.len() {
            e += 1;
        } else if s > 0 {
            s -= 1;
        } else {
            return None;
        }
    }
    for _ in 0..6 {
        // A trailing comma is left out (still on a word boundary).
        let text = toks[s..e]
            .join(" ")
            .trim_end_matches([',', ';'])
            .to_string();
        if occurrences(&a.folded, &fold(&text)) == 1 && clean_ends(&toks[s], &toks[e - 1]) {
            return Some(retype(text, rng));
        }
        if e - s >= 25 {
            break;
        }
        if e < toks.len() {
            e += 1;
        } else if s > 0 {
            s -= 1;
        } else {
            break;
        }
    }
    let _ = rng;
    None
}

/// A quote should not start or end with a bare dash.
fn clean_ends(first: &str, last: &str) -> bool {
    let bare = |t: &str| t.chars().all(|c| !c.is_alphanumeric());
    !bare(first) && !bare(last)
}

/// Sometimes the curator's copy has straight quotes or hyphens where the source has curly
/// quotes or dashes.
fn retype(text: String, rng: &mut Rng) -> String {
    let typographic = text.contains([
        '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2013}', '\u{2014}',
    ]);
    if typographic && rng.chance(0.3) {
        text.replace(['\u{2018}', '\u{2019}'], "'")
            .replace(['\u{201C}', '\u{201D}'], "\"")
            .replace(['\u{2013}', '\u{2014}'], "-")
    } else {
        text
    }
}

/// A random quote from a paragraph of `a`: a window of 8-25 words, sometimes with an elision.
fn random_quote(a: &Article, rng: &mut Rng) -> Option<String> {
    let paras: Vec<usize> = (0..a.paras.len())
        .filter(|&p| !a.paras[p].heading && a.paras[p].tokens.len() >= 10)
        .collect();
    for _ in 0..20 {
        let p = *rng.pick(&paras);
        let toks = &a.paras[p].tokens;
        if rng.chance(0.1) && toks.len() >= 16 {
            // The start of a sentence ... its end (or the next one's), within the paragraph.
            let sentences = sentences(toks);
            let k = rng.below(sentences.len());
            let s1 = sentences[k].0;
            let mut e2 = sentences[k].1;
            if e2 - s1 < 14 && k + 1 < sentences.len() {
                e2 = sentences[k + 1].1;
            }
            let l1 = rng.range(4, 10);
            let l2 = rng.range(4, 10);
            if l1 + 2 + l2 > e2 - s1 {
                continue;
            }
            let s2 = e2 - l2;
            let p1 = toks[s1..s1 + l1].join(" ");
            let p1 = p1.trim_end_matches([',', ';']);
            let p2 = toks[s2..s2 + l2].join(" ");
            if occurrences(&a.folded, &fold(p1)) != 1
                || !clean_ends(&toks[s1], &toks[s1 + l1 - 1])
                || !clean_ends(&toks[s2], &toks[s2 + l2 - 1])
            {
                continue;
            }
            let mark = *rng.pick(&["...", "...", "\u{2026}", "[...]"]);
            return Some(retype(format!("{p1} {mark} {p2}"), rng));
        }
        // Curators quote a sentence, or the part of one up to a comma, or two short ones.
        let sentences = sentences(toks);
        let k = rng.below(sentences.len());
        let (s, mut e) = sentences[k];
        if e - s < 8 && k + 1 < sentences.len() {
            e = sentences[k + 1].1;
        }
        let spot = |e| Spot {
            para: p,
            start: s,
            end: e,
        };
        if e - s > 25 || rng.chance(0.25) {
            // Up to a comma, when there is one at 8-25 words; else the first 8-25 words.
            let cut = (s + 8..e.min(s + 25))
                .rev()
                .find(|&t| toks[t - 1].ends_with(','));
            e = cut.unwrap_or_else(|| e.min(s + rng.range(8, 25)));
        }
        if let Some(t) = quote_at(a, spot(e), s, rng) {
            return Some(t);
        }
    }
    None
}

/// The sentences of a paragraph, as token ranges.
fn sentences(toks: &[String]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = 0;
    for (i, t) in toks.iter().enumerate() {
        let t = t.trim_end_matches(['\u{201D}', '"']);
        if t.ends_with(['.', '?', '!']) {
            out.push((s, i + 1));
            s = i + 1;
        }
    }
    if s < toks.len() {
        out.push((s, toks.len()));
    }
    out
}

/// How many quotes a claim has: 1-4, averaging `avg` (more when `avg` is above 4).
fn n_quotes(rng: &mut Rng, avg: usize) -> usize {
    if avg >= 4 {
        return avg;
    }
    if avg <= 1 {
        return 1;
    }
    if rng.chance(0.2) {
        return rng.range(1, 4);
    }
    let t = ((avg as f64 - 0.5) / 0.8).clamp(1.0, 4.0);
    let lo = t.floor();
    if rng.chance(t - lo) {
        lo as usize + 1
    } else {
        lo as usize
    }
}

const QUANTITY_TOPICS: [&str; 4] = ["evacuations", "damage", "response", "casualties"];

struct ClaimOut {
    id: String,
    claim: String,
    topic: &'static str,
    note: Option<String>,
    value: Option<(&'static str, Option<&'static str>)>,
    quotes: Vec<QuoteOut>,
}

fn claim(
    seed: u64,
    c: usize,
    home: usize,
    arts: &[Article],
    stories: &[Story],
    qpc: usize,
) -> ClaimOut {
    let mut rng = Rng::derive(seed, 5, c as u64);
    let s = home / STORY;
    let st = &stories[s];
    let lo = s * STORY;
    let hi = (lo + STORY).min(arts.len());
    let want = n_quotes(&mut rng, qpc);
    // The sources: the home article first, then others of its story (in random order), then
    // a random article from elsewhere when the story is too short.
    let mut others: Vec<usize> = (lo..hi).filter(|&x| x != home).collect();
    for x in (1..others.len()).rev() {
        let y = rng.below(x + 1);
        others.swap(x, y);
    }
    let mut sources = vec![home];
    sources.extend(others.iter().copied().take(want.saturating_sub(1)));
    let roll = rng.unit();
    let place_slug = slug_of(&st.place);
    let mut quotes = Vec::new();
    let via = |rng: &mut Rng| -> Option<String> {
        if rng.chance(0.15) {
            Some(if rng.chance(0.5) {
                st.people[rng.below(st.people.len())].0.clone()
            } else {
                "officials".to_string()
            })
        } else {
            None
        }
    };
    let (claim_text, topic, value, note) = if roll < 0.2 {
        // A typed value: quote each source's sentence stating the fact.
        let f = match rng.below(20) {
            0..=9 => rng.below(4),
            10..=13 => 4 + rng.below(2),
            14..=16 => 6,
            _ => 7,
        };
        for &si in &sources {
            let a = &arts[si];
            let stated = &a.facts[f];
            let keep = (stated.spot.start + stated.spot.end) / 2;
            if let Some(text) = quote_at(a, stated.spot, keep, &mut rng) {
                quotes.push(QuoteOut {
                    source: si,
                    text,
                    stance: "supports",
                    value: Some(stated.value.clone()),
                    via: via(&mut rng),
                });
            }
        }
        let k = st.kind;
        let (text, topic, spec) = match f {
            0..=3 => {
                let (what, happened, unit) = k.counts[f];
                let happened = happened
                    .replace("{place}", &st.place)
                    .replace("{region}", &st.region);
                (
                    capitalise(&format!(
                        "{} {what} {happened} during {} in {}.",
                        sep(st.counts[f]),
                        k.event,
                        st.place
                    )),
                    QUANTITY_TOPICS[f],
                    ("quantity", Some(unit)),
                )
            }
            4 | 5 => (
                capitalise(&format!(
                    "In {}, {} on {}.",
                    st.place,
                    k.dated[f - 4],
                    iso(st.days[f - 4])
                )),
                "timeline",
                ("date", None),
            ),
            6 => (
                format!(
                    "The {} {} {} in {}.",
                    st.place, k.built.0, k.built.1, st.year
                ),
                "background",
                ("year", None),
            ),
            _ => (
                capitalise(&format!(
                    "{} in {} is called {}.",
                    k.named, st.place, st.name
                )),
                "names",
                ("text", None),
            ),
        };
        (text, topic, Some(spec), None)
    } else if roll < 0.22 {
        // Supported by one source, contradicted by another.
        let supporters = sources.len().saturating_sub(1).max(1);
        for &si in sources.iter().take(supporters) {
            let a = &arts[si];
            if let Some(text) = quote_at(a, a.allegation, a.allegation.end - 1, &mut rng) {
                quotes.push(QuoteOut {
                    source: si,
                    text,
                    stance: "supports",
                    value: None,
                    via: via(&mut rng),
                });
            }
        }
        let denier = if sources.len() > 1 {
            sources[sources.len() - 1]
        } else {
            others.first().copied().unwrap_or(home)
        };
        let a = &arts[denier];
        if let Some(text) = quote_at(a, a.denial, a.denial.start, &mut rng) {
            quotes.push(QuoteOut {
                source: denier,
                text,
                stance: "contradicts",
                value: None,
                via: None,
            });
        }
        let note = format!("The sources disagree: see **{}**.", arts[denier].id);
        (
            st.kind.allegation_claim.to_string(),
            "warnings",
            None,
            Some(note),
        )
    } else {
        for (k, &si) in sources.iter().enumerate() {
            let a = &arts[si];
            let n = if k > 0 && sources.len() < 4 && rng.chance(0.05) {
                2
            } else {
                1
            };
            for _ in 0..n {
                if let Some(text) = random_quote(a, &mut rng) {
                    let stance = if k > 0 && rng.chance(0.08) {
                        "mentions"
                    } else {
                        "supports"
                    };
                    quotes.push(QuoteOut {
                        source: si,
                        text,
                        stance,
                        value: None,
                        via: via(&mut rng),
                    });
                }
            }
        }
        let mut w = Writer {
            rng: Rng::derive(seed, 6, c as u64),
            st,
            outlet: &OUTLETS[0],
            day: st.days[0],
        };
        let cl = w.clause();
        let text = capitalise(&format!("{cl} after {} in {}.", st.kind.event, st.place));
        let topic = TOPICS[8 + rng.below(TOPICS.len() - 8)].0;
        let note = rng.chance(0.08).then(|| {
            format!(
                "Only _{}_ gives the full context; the others quote it in passing.",
                arts[home].outlet.name
            )
        });
        (text, topic, None, note)
    };
    // Duplicated quotes (the same passage twice in one claim) are dropped.
    let mut seen = std::collections::HashSet::new();
    quotes.retain(|q| seen.insert((q.source, q.text.clone())));
    ClaimOut {
        id: format!("{place_slug}-{topic}-{c:06}"),
        claim: claim_text,
        topic,
        note,
        value,
        quotes,
    }
}

// ------------------------------------------------------------------------------------------
// Writing

/// Writes a synthetic dossier into `dir/content/`: `articles` articles, about
/// `claims_per_article` claims per article (`articles * claims_per_article` in all), each
/// quoting on average `quotes_per_claim` sources (1-4). The same arguments give the same
/// bytes. Refuses (`AlreadyExists`) when `dir/content` exists.
pub fn generate(
    dir: &Path,
    articles: usize,
    claims_per_article: usize,
    quotes_per_claim: usize,
    seed: u64,
) -> io::Result<Stats> {
    let content = dir.join("content");
    if content.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} already exists; synth writes only new dossiers",
                content.display()
            ),
        ));
    }
    let art_dir = content.join("articles");
    fs::create_dir_all(&art_dir)?;
    let mut stats = Stats {
        articles,
        topics: TOPICS.len(),
        ..Stats::default()
    };

    let n_stories = articles.div_ceil(STORY);
    let stories: Vec<Story> = (0..n_stories).map(|s| story(seed, s)).collect();
    let arts: Vec<Article> = (0..articles)
        .map(|i| {
            let s = i / STORY;
            article(seed, i, &stories[s], s * STORY)
        })
        .collect();
    for a in &arts {
        fs::write(art_dir.join(format!("{}.md", a.id)), &a.markdown)?;
        stats.bytes += a.markdown.len() as u64;
        stats.words += a.words;
    }

    let mut site = String::new();
    let _ = writeln!(
        site,
        "title: {}",
        q(&format!(
            "Synthetic dossier: {} articles",
            sep(articles as u64)
        ))
    );
    let _ = writeln!(
        site,
        "description: {}",
        q(&format!(
            "A generated dossier (seed {seed}) of {} reports on {} events, for benchmarks. **Not real news.**",
            sep(articles as u64),
            sep(n_stories as u64)
        ))
    );
    site.push_str("base_url: \"/\"\nlanguage: en\ntopics:\n");
    for (id, title, desc) in TOPICS {
        let _ = writeln!(
            site,
            "  - id: {id}\n    title: {}\n    description: {}",
            q(title),
            q(desc)
        );
    }
    fs::write(content.join("site.yaml"), &site)?;
    stats.bytes += site.len() as u64;

    let file = fs::File::create(content.join("claims.yaml"))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let header =
        "# Synthetic claims: each quote is verbatim from content/articles/<source>.md.\n\n";
    out.write_all(header.as_bytes())?;
    stats.bytes += header.len() as u64;
    let mut buf = String::with_capacity(4096);
    for home in 0..articles {
        if home % STORY == 0 {
            let _ = writeln!(
                buf,
                "# ---- story {}: {} in {}\n",
                home / STORY,
                stories[home / STORY].kind.event,
                stories[home / STORY].place
            );
        }
        for k in 0..claims_per_article {
            let c = home * claims_per_article + k;
            let cl = claim(seed, c, home, &arts, &stories, quotes_per_claim);
            if cl.quotes.is_empty() {
                continue;
            }
            stats.claims += 1;
            stats.quotes += cl.quotes.len();
            if cl.value.is_some() {
                stats.valued_claims += 1;
            }
            if cl.quotes.iter().any(|q| q.stance == "contradicts") {
                stats.contradicted_claims += 1;
            }
            let _ = writeln!(buf, "- id: {}", cl.id);
            let _ = writeln!(buf, "  claim: {}", q(&cl.claim));
            let _ = writeln!(buf, "  topic: {}", cl.topic);
            if let Some(n) = &cl.note {
                let _ = writeln!(buf, "  note: {}", q(n));
            }
            if let Some((kind, unit)) = cl.value {
                let _ = writeln!(buf, "  value:\n    kind: {kind}");
                if let Some(u) = unit {
                    let _ = writeln!(buf, "    unit: {u}");
                }
            }
            buf.push_str("  quotes:\n");
            for qo in &cl.quotes {
                let _ = writeln!(buf, "    - source: {}", arts[qo.source].id);
                let _ = writeln!(buf, "      text: {}", q(&qo.text));
                if qo.text.contains("...") || qo.text.contains('\u{2026}') {
                    stats.elided_quotes += 1;
                }
                if (!arts[qo.source].outlet.straight && qo.text.contains(['"', '\'']))
                    || qo.text.contains(" - ")
                {
                    stats.retyped_quotes += 1;
                }
                // A quote with a value writes its stance: the claims state no value of their
                // own, so a default stance on conflicting values would not count as support.
                if qo.stance != "supports" || qo.value.is_some() {
                    let _ = writeln!(buf, "      stance: {}", qo.stance);
                }
                if let Some(v) = &qo.value {
                    let _ = writeln!(buf, "      value: {}", q(v));
                }
                if let Some(v) = &qo.via {
                    let _ = writeln!(buf, "      via: {}", q(v));
                }
            }
            buf.push('\n');
            out.write_all(buf.as_bytes())?;
            stats.bytes += buf.len() as u64;
            buf.clear();
        }
    }
    out.flush()?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier::build;

    /// Every file under `dir` with its bytes, by path, sorted.
    fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
        fn walk(dir: &Path, rel: &str, out: &mut Vec<(String, Vec<u8>)>) {
            for e in fs::read_dir(dir).expect("list") {
                let e = e.expect("entry");
                let name = format!("{rel}{}", e.file_name().to_string_lossy());
                if e.file_type().expect("type").is_dir() {
                    walk(&e.path(), &format!("{name}/"), out);
                } else {
                    out.push((name, fs::read(e.path()).expect("read")));
                }
            }
        }
        let mut out = Vec::new();
        walk(dir, "", &mut out);
        out.sort();
        out
    }

    #[test]
    fn same_seed_same_bytes() {
        let a = tempfile::tempdir().expect("tmp");
        let b = tempfile::tempdir().expect("tmp");
        let c = tempfile::tempdir().expect("tmp");
        let sa = generate(a.path(), 12, 4, 3, 7).expect("gen");
        let sb = generate(b.path(), 12, 4, 3, 7).expect("gen");
        generate(c.path(), 12, 4, 3, 8).expect("gen");
        assert_eq!(sa, sb);
        assert_eq!(read_all(a.path()), read_all(b.path()));
        assert_ne!(read_all(a.path()), read_all(c.path()));
        assert!(
            generate(a.path(), 1, 1, 1, 1).is_err(),
            "refuses an existing content/"
        );
    }

    #[test]
    fn builds_without_errors_or_warnings() {
        let tmp = tempfile::tempdir().expect("tmp");
        let stats = generate(tmp.path(), 40, 10, 3, 1).expect("gen");
        assert_eq!(stats.claims, 400);
        let avg_words = stats.words / stats.articles;
        assert!(
            (500..=950).contains(&avg_words),
            "{avg_words} words per article"
        );
        let opts = build::Options {
            root: tmp.path().to_path_buf(),
            output: None,
            base_url: None,
        };
        let report = match build::run(&opts) {
            Ok(r) => r,
            Err(build::Failure::Content {
                diagnostics,
                sources,
            }) => {
                panic!("{}", dossier::diag::render(&diagnostics, &sources, false))
            }
            Err(build::Failure::Usage(u)) => panic!("{u}"),
        };
        assert!(
            report.warnings.is_empty(),
            "{}",
            dossier::diag::render(&report.warnings, &report.sources_text, false)
        );
        assert_eq!(report.sources, 40);
        assert_eq!(report.claims, 400);
        assert_eq!(report.quotes, stats.quotes);
        assert!(
            report.disputed > 0 && report.disputed < 60,
            "{} disputed",
            report.disputed
        );
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(sep(12_400), "12,400");
        assert_eq!(sep(999), "999");
        assert_eq!(sig2(12_400), (12_000, 12_000, 13_000));
        assert_eq!(iso(days_from_civil(2024, 2, 29)), "2024-02-29");
        assert_eq!(weekday(0), "Thursday");
    }
}
