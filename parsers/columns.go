package parsers

// isBlank reports whether c separates columns in a listing line: a blank,
// a tab, or the CR and LF of an entry that spans lines.
func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// nextField returns the first column of s (after any blanks) and what
// follows it. field is "" when s holds only blanks.
func nextField(s string) (field, rest string) {
	i := 0
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	j := i
	for j < len(s) && !isBlank(s[j]) {
		j++
	}
	return s[i:j], s[j:]
}

// trimBlanks removes leading blanks (as isBlank knows them).
func trimBlanks(s string) string {
	i := 0
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	return s[i:]
}

// onlyDigits reports whether s is a non-empty run of ASCII digits.
func onlyDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseBytes parses a non-negative decimal size that fits an int64.
func parseBytes(s string) (int64, bool) {
	if !onlyDigits(s) || len(s) > 19 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		d := int64(s[i] - '0')
		if n > (1<<63-1-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}
