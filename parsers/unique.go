package parsers

import "strings"

// resolveUniqueLinks gives each link without a target the name of the one
// other line of the listing that has the same MLSD "unique" fact. It
// costs nothing for listings without such links.
//
// Where the link's line has a size, it is the length of the target (as
// for lstat), and a name of another length is not the target: proftpd
// gives a link to "/srv/a" the unique fact of its target, listed here as
// "a", and the listing does not say how to get from "a" to "/srv/a". Such
// links keep an empty target.
func resolveUniqueLinks(entries []Entry, listing string) {
	need := false
	for i := range entries {
		if entries[i].Type == TypeLink && entries[i].LinkTarget == "" && uniqueFact(entries[i].Raw) != "" {
			need = true
			break
		}
	}
	if !need {
		return
	}
	// unique fact -> name of the line that is not a link; "" when
	// several lines claim it.
	names := map[string]string{}
	seen := map[string]bool{}
	for text := listing; text != ""; {
		var line string
		line, text = nextLine(text)
		id := uniqueFact(line)
		if id == "" {
			continue
		}
		facts, name, ok := strings.Cut(line, "; ")
		if !ok || isLinkType(facts) {
			continue
		}
		if seen[id] {
			names[id] = ""
			continue
		}
		seen[id], names[id] = true, name
	}
	for i := range entries {
		e := &entries[i]
		if e.Type == TypeLink && e.LinkTarget == "" {
			target := names[uniqueFact(e.Raw)]
			if target != "" && target != e.Name && (!e.Known(UnknownSize) || int64(len(target)) == e.Size) {
				e.LinkTarget = target
			}
		}
	}
}

// uniqueFact returns the value of the unique fact of an MLSD line, or "".
func uniqueFact(line string) string {
	facts, _, ok := strings.Cut(line, "; ")
	if !ok {
		return ""
	}
	for facts != "" {
		var fact string
		fact, facts, _ = strings.Cut(facts, ";")
		if key, value, _ := strings.Cut(fact, "="); strings.EqualFold(key, "unique") {
			return value
		}
	}
	return ""
}

// isLinkType reports whether MLSD facts say the entry is a link.
func isLinkType(facts string) bool {
	for facts != "" {
		var fact string
		fact, facts, _ = strings.Cut(facts, ";")
		if key, value, _ := strings.Cut(fact, "="); strings.EqualFold(key, "type") {
			kind, _, _ := strings.Cut(value, ":")
			return strings.HasSuffix(strings.ToLower(kind), "link")
		}
	}
	return false
}
