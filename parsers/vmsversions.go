package parsers

import "strconv"

// nameVMSVersions keeps the names of a VMS listing distinct: the highest
// version of each file keeps the plain name (what a path without a version
// opens), and every older version is named with its version, "NOTES.TXT;2",
// which is how a VMS server is asked for it.
func nameVMSVersions(entries []Entry) {
	newest := make(map[string]int, len(entries)) // name -> highest version
	for i := range entries {
		v := vmsVersion(entries[i].Raw)
		if v > newest[entries[i].Name] {
			newest[entries[i].Name] = v
		}
	}
	for i := range entries {
		e := &entries[i]
		if v := vmsVersion(e.Raw); v > 0 && v < newest[e.Name] {
			e.Name += ";" + strconv.Itoa(v)
		}
	}
}

// vmsVersion returns the version in the name column of a VMS entry, or 0.
func vmsVersion(raw string) int {
	first, _ := nextField(raw)
	for i := len(first) - 1; i > 0; i-- {
		if first[i] == ';' {
			v, _ := atoiSmall(first[i+1:])
			return v
		}
	}
	return 0
}

// detectedVMS reports whether p parses VMS listings.
func detectedVMS(p Parser) bool {
	if a, ok := p.(*Auto); ok {
		p = a.Detected()
	}
	_, ok := p.(VMS)
	return ok
}
