//! Locale data of `DateTimeFormatter`: month, day, AM/PM, era and quarter names (en, pl, de,
//! fr, es, it; other languages fall back to English) and the week definition.

use chrono::Weekday;

pub(crate) struct Names {
    pub(crate) months_full: [&'static str; 12],
    pub(crate) months_full_sa: [&'static str; 12],
    pub(crate) months_short: [&'static str; 12],
    pub(crate) months_short_sa: [&'static str; 12],
    pub(crate) months_narrow: [&'static str; 12],
    pub(crate) days_full: [&'static str; 7],
    pub(crate) days_short: [&'static str; 7],
    pub(crate) days_short_sa: [&'static str; 7],
    pub(crate) days_narrow: [&'static str; 7],
    pub(crate) ampm: [&'static str; 2],
    pub(crate) eras_short: [&'static str; 2],
    pub(crate) eras_full: [&'static str; 2],
    pub(crate) quarters_short: [&'static str; 4],
    pub(crate) quarters_full: [&'static str; 4],
}

pub(crate) const EN_MONTHS: [&str; 12] = [
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
pub(crate) const EN_MONTHS_SHORT: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
pub(crate) const EN_DAYS_SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub(crate) static EN: Names = Names {
    months_full: EN_MONTHS,
    months_full_sa: EN_MONTHS,
    months_short: EN_MONTHS_SHORT,
    months_short_sa: EN_MONTHS_SHORT,
    months_narrow: ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"],
    days_full: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
    days_short: EN_DAYS_SHORT,
    days_short_sa: EN_DAYS_SHORT,
    days_narrow: ["M", "T", "W", "T", "F", "S", "S"],
    ampm: ["AM", "PM"],
    eras_short: ["BC", "AD"],
    eras_full: ["Before Christ", "Anno Domini"],
    quarters_short: ["Q1", "Q2", "Q3", "Q4"],
    quarters_full: ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"],
};

pub(crate) const PL_MONTHS_SHORT: [&str; 12] = [
    "sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru",
];
pub(crate) const PL_DAYS_SHORT: [&str; 7] = ["pon.", "wt.", "śr.", "czw.", "pt.", "sob.", "niedz."];
pub(crate) static PL: Names = Names {
    months_full: [
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ],
    months_full_sa: [
        "styczeń",
        "luty",
        "marzec",
        "kwiecień",
        "maj",
        "czerwiec",
        "lipiec",
        "sierpień",
        "wrzesień",
        "październik",
        "listopad",
        "grudzień",
    ],
    months_short: PL_MONTHS_SHORT,
    months_short_sa: PL_MONTHS_SHORT,
    months_narrow: ["s", "l", "m", "k", "m", "c", "l", "s", "w", "p", "l", "g"],
    days_full: [
        "poniedziałek",
        "wtorek",
        "środa",
        "czwartek",
        "piątek",
        "sobota",
        "niedziela",
    ],
    days_short: PL_DAYS_SHORT,
    days_short_sa: PL_DAYS_SHORT,
    days_narrow: ["p", "w", "ś", "c", "p", "s", "n"],
    ampm: ["AM", "PM"],
    eras_short: ["p.n.e.", "n.e."],
    eras_full: ["przed naszą erą", "naszej ery"],
    quarters_short: ["I kw.", "II kw.", "III kw.", "IV kw."],
    quarters_full: ["I kwartał", "II kwartał", "III kwartał", "IV kwartał"],
};

pub(crate) const DE_MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
pub(crate) static DE: Names = Names {
    months_full: DE_MONTHS,
    months_full_sa: DE_MONTHS,
    months_short: [
        "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.",
        "Dez.",
    ],
    months_short_sa: [
        "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez",
    ],
    months_narrow: ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"],
    days_full: [
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
    ],
    days_short: ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."],
    days_short_sa: ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
    days_narrow: ["M", "D", "M", "D", "F", "S", "S"],
    ampm: ["AM", "PM"],
    eras_short: ["v. Chr.", "n. Chr."],
    eras_full: ["v. Chr.", "n. Chr."],
    quarters_short: ["Q1", "Q2", "Q3", "Q4"],
    quarters_full: ["1. Quartal", "2. Quartal", "3. Quartal", "4. Quartal"],
};

pub(crate) const FR_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
pub(crate) const FR_MONTHS_SHORT: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
pub(crate) const FR_DAYS_SHORT: [&str; 7] =
    ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];
pub(crate) static FR: Names = Names {
    months_full: FR_MONTHS,
    months_full_sa: FR_MONTHS,
    months_short: FR_MONTHS_SHORT,
    months_short_sa: FR_MONTHS_SHORT,
    months_narrow: ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"],
    days_full: [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ],
    days_short: FR_DAYS_SHORT,
    days_short_sa: FR_DAYS_SHORT,
    days_narrow: ["L", "M", "M", "J", "V", "S", "D"],
    ampm: ["AM", "PM"],
    eras_short: ["av. J.-C.", "ap. J.-C."],
    eras_full: ["avant Jésus-Christ", "après Jésus-Christ"],
    quarters_short: ["T1", "T2", "T3", "T4"],
    quarters_full: [
        "1er trimestre",
        "2e trimestre",
        "3e trimestre",
        "4e trimestre",
    ],
};

pub(crate) const ES_MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
pub(crate) const ES_MONTHS_SHORT: [&str; 12] = [
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
];
pub(crate) const ES_DAYS_SHORT: [&str; 7] = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"];
pub(crate) static ES: Names = Names {
    months_full: ES_MONTHS,
    months_full_sa: ES_MONTHS,
    months_short: ES_MONTHS_SHORT,
    months_short_sa: ES_MONTHS_SHORT,
    months_narrow: ["E", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"],
    days_full: [
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ],
    days_short: ES_DAYS_SHORT,
    days_short_sa: ES_DAYS_SHORT,
    days_narrow: ["L", "M", "X", "J", "V", "S", "D"],
    ampm: ["a. m.", "p. m."],
    eras_short: ["a. C.", "d. C."],
    eras_full: ["antes de Cristo", "después de Cristo"],
    quarters_short: ["T1", "T2", "T3", "T4"],
    quarters_full: [
        "1.er trimestre",
        "2.º trimestre",
        "3.er trimestre",
        "4.º trimestre",
    ],
};

pub(crate) const IT_MONTHS: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];
pub(crate) const IT_MONTHS_SHORT: [&str; 12] = [
    "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
];
pub(crate) const IT_DAYS_SHORT: [&str; 7] = ["lun", "mar", "mer", "gio", "ven", "sab", "dom"];
pub(crate) static IT: Names = Names {
    months_full: IT_MONTHS,
    months_full_sa: IT_MONTHS,
    months_short: IT_MONTHS_SHORT,
    months_short_sa: IT_MONTHS_SHORT,
    months_narrow: ["G", "F", "M", "A", "M", "G", "L", "A", "S", "O", "N", "D"],
    days_full: [
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
        "domenica",
    ],
    days_short: IT_DAYS_SHORT,
    days_short_sa: IT_DAYS_SHORT,
    days_narrow: ["L", "M", "M", "G", "V", "S", "D"],
    ampm: ["AM", "PM"],
    eras_short: ["a.C.", "d.C."],
    eras_full: ["avanti Cristo", "dopo Cristo"],
    quarters_short: ["T1", "T2", "T3", "T4"],
    quarters_full: [
        "1º trimestre",
        "2º trimestre",
        "3º trimestre",
        "4º trimestre",
    ],
};

pub(crate) fn language(locale: &str) -> String {
    locale
        .split(['_', '-'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

pub(crate) fn country(locale: &str) -> String {
    locale
        .split(['_', '-'])
        .nth(1)
        .unwrap_or("")
        .to_ascii_uppercase()
}

pub(crate) fn names(locale: &str) -> &'static Names {
    match language(locale).as_str() {
        "pl" => &PL,
        "de" => &DE,
        "fr" => &FR,
        "es" => &ES,
        "it" => &IT,
        _ => &EN,
    }
}

/// `WeekFields.of(locale)`: (first day of week, minimal days in first week).
pub(crate) fn week_def(locale: &str) -> (Weekday, u32) {
    let c = country(locale);
    let l = language(locale);
    match c.as_str() {
        "US" | "CA" | "JP" | "BR" | "MX" | "IL" | "KR" | "ZA" | "AU" | "IN" | "PH" => {
            (Weekday::Sun, 1)
        }
        "" => match l.as_str() {
            "pl" | "de" | "fr" | "es" | "it" | "nl" | "sv" | "da" | "fi" | "nb" | "no" | "cs"
            | "sk" | "hu" | "pt" => (Weekday::Mon, 4),
            "en" => (Weekday::Sun, 1),
            _ => (Weekday::Mon, 1),
        },
        "GB" | "IE" | "DE" | "PL" | "FR" | "ES" | "IT" | "NL" | "BE" | "AT" | "CH" | "SE"
        | "DK" | "FI" | "NO" | "CZ" | "SK" | "HU" | "PT" | "LU" => (Weekday::Mon, 4),
        _ => (Weekday::Mon, 1),
    }
}
