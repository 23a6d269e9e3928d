package norm

// aliases maps vendor keys (see [VendorKey]) to the one key the table files
// a vendor under, sorted by alias. Each line says why the names are one
// vendor; "ICSMA-…" names the advisory that shows it, "DICOM sample" a
// Manufacturer (0008,0070) value of public sample files listed in the
// project's fingerprint source facts (dicom-implementations.tsv).
var aliases = [...]struct{ alias, canon string }{
	{"abbottlaboratories", "abbott"},             // ICSMA-17-241-01, ICSMA-18-107-01 "Abbott Laboratories"
	{"baxterinternational", "baxter"},            // ICSMA-22-167-01 "Baxter International Inc."
	{"bbraunmedical", "bbraun"},                  // ICSMA-20-296-01 "B. Braun Medical"
	{"bbraunmelsungen", "bbraun"},                // ICSMA-23-103-01 "B. Braun Melsungen AG"
	{"bectondickinson", "bd"},                    // ICSMA-17-017-01 "Becton, Dickinson and Company (BD)"
	{"bectondickinsonandcompany", "bd"},          // same
	{"draeger", "drager"},                        // ASCII spelling of Dräger (ICSMA-19-022-01)
	{"draegerwerk", "drager"},                    // Drägerwerk AG, the parent company
	{"dragerwerk", "drager"},                     // same, folded
	{"ethicon", "johnsonjohnson"},                // ICSMA-17-332-01: Ethicon Endo-Surgery under Johnson & Johnson
	{"ethiconendosurgery", "johnsonjohnson"},     // same
	{"fuji", "fujifilm"},                         // DICOM sample 'FUJI' (CT)
	{"fujiphotofilm", "fujifilm"},                // DICOM sample 'FUJI PHOTO FILM CO. LTD.' (CR)
	{"ge", "gehealthcare"},                       // ICSMA-19-190-01 "General Electric (GE)"
	{"gemedicalsystems", "gehealthcare"},         // DICOM samples 'GE MEDICAL SYSTEMS', 'G.E. Medical Systems'
	{"generalelectric", "gehealthcare"},          // ICSMA-20-023-01 "General Electric (GE)"
	{"hillrom", "baxter"},                        // ICSMA-22-167-01 "Hillrom and ELI, Baxter International Inc."
	{"innokas", "innokasyhtyma"},                 // ICSMA-21-007-01 "Innokas Yhtymä Oy"
	{"koninklijkephilips", "philips"},            // Koninklijke Philips N.V., the legal name
	{"koninklijkephilipselectronics", "philips"}, // its name until 2013
	{"mckesson", "changehealthcare"},             // ICSMA-19-241-01: McKesson Cardiology under Change Healthcare
	{"natus", "natusmedical"},                    // ICSMA-18-165-01 "Natus Medical, Inc. (Natus)"
	{"osimis", "orthanc"},                        // ICSMA-24-023-01 "Orthanc Osimis DICOM Web Viewer"
	{"philipshealthcare", "philips"},             // Philips' healthcare business name
	{"philipsmedicalsystems", "philips"},         // DICOM samples 'Philips Medical Systems' (MR)
	{"phillips", "philips"},                      // spelled so in ICSMA-18-025-01, ICSMA-18-058-02
	{"qualcommlife", "capsuletechnologies"},      // ICSMA-18-240-01 "Qualcomm Life Capsule"
	{"roche", "rochediagnostics"},                // ICSMA-18-310-01 "Roche Diagnostics"
	{"siemenshealthcare", "siemens"},             // former name of Siemens Healthineers
	{"siemenshealthineers", "siemens"},           // ICSMA-17-215-01 (Siemens molecular imaging); DICOM samples 'SIEMENS'
	{"sooil", "sooildevelopments"},               // ICSMA-21-012-01 "SOOIL Developments Co, Ltd."
	{"stjude", "abbott"},                         // Abbott acquired St. Jude Medical in 2017; ICSMA-17-241-01 lists St. Jude's
	{"stjudemedical", "abbott"},                  // Accent/Assurity pacemakers under Abbott; ICSMA-17-009-01A "St. Jude Medical"
	{"swisslog", "swissloghealthcare"},           // ICSMA-21-215-01 "Swisslog Healthcare"
	{"vyaire", "vyairemedical"},                  // ICSMA-18-037-01 "Vyaire Medical"
	{"welchallyn", "baxter"},                     // ICSMA-21-152-01 (under Hillrom), ICSMA-24-151-01 (under Baxter)
	{"zollmedical", "zoll"},                      // ZOLL Medical Corporation (ICSMA-21-161-01 "ZOLL")
}

// Canonical returns the key the table files a vendor key under: its alias
// target, or the key itself (ok false).
func Canonical(key []byte) (canon string, ok bool) {
	lo, hi := 0, len(aliases)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if aliases[m].alias < string(key) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(aliases) && aliases[lo].alias == string(key) {
		return aliases[lo].canon, true
	}
	return "", false
}

// VendorKey appends the key of a vendor name: its [VendorWords] joined, then
// mapped through the alias table.
func VendorKey(dst []byte, s string) []byte {
	var buf [MaxKey]byte
	w := VendorWords(buf[:0], s)
	start := len(dst)
	dst = Join(dst, w)
	if c, ok := Canonical(dst[start:]); ok {
		dst = append(dst[:start], c...)
	}
	return dst
}

// MaxKey is the most bytes of a name that are compared: longer names are cut
// at a word boundary.
const MaxKey = 128

// StripVendor drops the leading words of a product name (as [Words] writes
// them) that spell one of the vendors (keys as [VendorKey] writes them): up
// to four words whose joined key, through the alias table, is one of them
// ("GE Aespire" → "aespire", "Welch Allyn Connex Spot Monitor" → "connex
// spot monitor" for Baxter). The longest such run is dropped; a name is
// never stripped to nothing.
func StripVendor(words []byte, vendors ...string) []byte {
	var key [MaxKey]byte
	cut := 0
	n := 0
	for i := 0; i < len(words) && n < 4; i++ {
		if words[i] != ' ' {
			continue
		}
		n++
		k := Join(key[:0], words[:i])
		c, ok := Canonical(k)
		for _, v := range vendors {
			if ok && c == v || !ok && string(k) == v {
				cut = i + 1
			}
		}
	}
	return words[cut:]
}

// Aliases calls yield for each alias and its key, in order, until it returns
// false.
func Aliases(yield func(alias, canon string) bool) {
	for _, a := range aliases {
		if !yield(a.alias, a.canon) {
			return
		}
	}
}
