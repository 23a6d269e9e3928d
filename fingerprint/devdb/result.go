package devdb

// A Result sums up the matches of one device.
type Result struct {
	Vendor      string
	Product     string
	Class       Class
	Modality    string
	OS          string
	Software    string // the software stack recognised (a DICOM toolkit), if any
	Criticality Criticality
	// Confidence is that of the match the vendor and product came from
	// (or of the best match when none names them): 0..1.
	Confidence float64
	// Matches are the matches summed up, best first: a view of the slice
	// given to [Summarize].
	Matches []Match
}

// Summarize sums up matches (as [Database.Match] returns them, best
// first) without allocating:
//
//   - Vendor and Product come from the best device entry that names a
//     vendor or product, or else from the best software entry.
//   - Class and Modality come from the best device entry with a class; an
//     entry of another vendor than the one chosen is passed over. Without
//     one, from the best software or os entry with a class.
//   - OS comes from the best os entry; without one, from the typical OS of
//     the entry the vendor came from, or else of any entry.
//   - Software is the product of the best software entry.
//   - Criticality is the entry's with the class chosen, else unknown.
func Summarize(ms []Match) Result {
	r := Result{Class: ClassUnknown, Matches: ms}
	primary, classFrom := -1, -1
	for i := range ms {
		if e := ms[i].Entry; e.Kind == KindDevice && (e.Vendor != "" || e.Product != "") {
			primary = i
			break
		}
	}
	if primary < 0 {
		for i := range ms {
			if e := ms[i].Entry; e.Kind == KindSoftware && (e.Vendor != "" || e.Product != "") {
				primary = i
				break
			}
		}
	}
	if primary >= 0 {
		e := ms[primary].Entry
		r.Vendor, r.Product, r.Confidence = e.Vendor, e.Product, ms[primary].Confidence()
	} else if len(ms) > 0 {
		r.Confidence = ms[0].Confidence()
	}
	for i := range ms {
		e := ms[i].Entry
		if e.Kind == KindDevice && e.Class != ClassUnknown && (r.Vendor == "" || e.Vendor == "" || e.Vendor == r.Vendor) {
			classFrom = i
			break
		}
	}
	if classFrom < 0 {
		for i := range ms {
			if ms[i].Entry.Kind != KindDevice && ms[i].Entry.Class != ClassUnknown {
				classFrom = i
				break
			}
		}
	}
	if classFrom >= 0 {
		e := ms[classFrom].Entry
		r.Class, r.Modality, r.Criticality = e.Class, e.Modality, e.EffectiveCriticality()
		if r.Product == "" && e.Vendor == r.Vendor && e.Kind == KindDevice {
			r.Product = e.Product
		}
	}
	for i := range ms {
		if e := ms[i].Entry; e.Kind == KindOS && e.OS != "" {
			r.OS = e.OS
			break
		}
	}
	if r.OS == "" && primary >= 0 {
		r.OS = ms[primary].Entry.OS
	}
	for i := range ms {
		e := ms[i].Entry
		if r.OS == "" && e.OS != "" {
			r.OS = e.OS
		}
		if r.Software == "" && e.Kind == KindSoftware {
			r.Software = e.Product
		}
	}
	return r
}

// AppendRules appends the IDs of every test that matched, match by match.
// It allocates nothing when dst has room.
func (r *Result) AppendRules(dst []string) []string {
	for i := range r.Matches {
		dst = r.Matches[i].AppendRules(dst)
	}
	return dst
}
