package parsers

import (
	"strings"
	"time"
)

// parseMonth reads a month name as ls prints it: English abbreviations in
// any case, full English names, the abbreviations of the common European
// locales (with or without a trailing dot), Russian abbreviations, and the
// CJK form "3月".
func parseMonth(s string) (time.Month, bool) {
	if len(s) == 3 {
		if m, ok := englishMonth(s); ok {
			return m, true
		}
	}
	if n, ok := strings.CutSuffix(s, "月"); ok {
		v, ok := atoiSmall(n)
		if !ok || v < 1 || v > 12 {
			return 0, false
		}
		return time.Month(v), true
	}
	m, ok := otherMonthNames[strings.ToLower(strings.TrimSuffix(s, "."))]
	return m, ok
}

// englishMonth matches the three-letter English abbreviations without
// allocating, in any letter case.
func englishMonth(s string) (time.Month, bool) {
	var k [3]byte
	for i := 0; i < 3; i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		k[i] = c
	}
	switch string(k[:]) {
	case "jan":
		return time.January, true
	case "feb":
		return time.February, true
	case "mar":
		return time.March, true
	case "apr":
		return time.April, true
	case "may":
		return time.May, true
	case "jun":
		return time.June, true
	case "jul":
		return time.July, true
	case "aug":
		return time.August, true
	case "sep":
		return time.September, true
	case "oct":
		return time.October, true
	case "nov":
		return time.November, true
	case "dec":
		return time.December, true
	}
	return 0, false
}

// otherMonthNames holds the lower-case month names, other than the English
// abbreviations, that servers' ls prints under common locales: full
// English names, German, French, Spanish, Italian, Dutch, Portuguese,
// Swedish and Russian. No name stands for two different months.
var otherMonthNames = map[string]time.Month{
	"january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7,
	"august": 8, "september": 9, "sept": 9, "october": 10, "november": 11, "december": 12,
	// German
	"jän": 1, "januar": 1, "februar": 2, "mär": 3, "mrz": 3, "märz": 3, "mai": 5, "juni": 6,
	"juli": 7, "okt": 10, "oktober": 10, "dez": 12, "dezember": 12,
	// French
	"janv": 1, "févr": 2, "fév": 2, "mars": 3, "avr": 4, "juin": 6, "juil": 7, "août": 8,
	"aoû": 8, "déc": 12,
	// Spanish, Italian, Portuguese
	"ene": 1, "abr": 4, "ago": 8, "dic": 12, "gen": 1, "mag": 5, "giu": 6, "lug": 7,
	"set": 9, "ott": 10, "fev": 2, "out": 10,
	// Dutch, Swedish
	"mrt": 3, "mei": 5, "maj": 5,
	// Russian
	"янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7,
	"авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}

// atoiSmall parses a short unsigned decimal number (at most 9 digits).
func atoiSmall(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
