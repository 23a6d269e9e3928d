package advisory

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/medtap/medtap/fingerprint/advisory/internal/vers"
)

type hit struct {
	id string
	st Status
}

func (h hit) String() string { return h.id + " " + h.st.String() }

func hits(r []Advisory) []hit {
	var h []hit
	for _, a := range r {
		h = append(h, hit{a.ID, a.Status})
	}
	return h
}

// Queries against real advisories of the snapshot. Each comment says what
// the advisory writes.
func TestMatch(t *testing.T) {
	const (
		aff = Affected
		unk = VersionUnknown
		nc  = VersionNotComparable
	)
	tests := []struct {
		name                     string
		vendor, product, version string
		want                     []hit
	}{
		// Version ranges.
		{"interval inside", "Hillrom", "Welch Allyn Q-Stress Cardiac Stress Testing System", "6.2.0",
			[]hit{{"ICSMA-21-343-01", aff}}}, // >= 6.0.0 | <= 6.3.1
		{"interval above", "Hillrom", "Q-Stress", "6.4.0", nil},
		{"interval below", "Hillrom", "Q-Stress", "5.9", nil},
		{"interval upper bound", "Hillrom", "Q-Stress", "6.3.1", []hit{{"ICSMA-21-343-01", aff}}},
		{"lettered revision below", "Philips", "IntelliVue MX40", "B.06.01",
			[]hit{{"ICSMA-17-255-01", aff}}}, // < B.06.18
		{"lettered revision fixed", "Philips", "IntelliVue MX40", "B.06.18", nil},
		{"wildcard and bound", "Philips", "Vue PACS", "12.2.8.1",
			[]hit{{"ICSMA-21-187-01", aff}, {"ICSMA-24-200-01", aff}}}, // <= 12.2.x.x; <12.2.8.410
		{"past the wildcard", "Philips", "Vue PACS", "12.2.8.410", []hit{{"ICSMA-21-187-01", aff}}},
		{"both fixed", "Philips", "Vue PACS", "12.3", nil},
		{"version list", "BD", "Alaris PC Unit", "9.19",
			[]hit{{"ICSMA-20-170-06", aff}, {"ICSMA-20-317-01", aff}}}, // 9.13 | 9.19 | 9.33 | 12.1; <= 9.33.1
		{"version list, one", "BD", "Alaris PC Unit", "12.1", []hit{{"ICSMA-20-170-06", aff}}},
		{"version list, none", "BD", "Alaris PC Unit", "12.2", nil},
		{"letter suffix", "Medtronic", "MiniMed Paradigm 523/723 pumps", "2.3A",
			[]hit{{"ICSMA-19-178-01", aff}}}, // <= 2.4A
		{"letter suffix above", "Medtronic", "MiniMed Paradigm 523/723 pumps", "2.4B", nil},
		{"and below", "BD", "Alaris Gateway Workstation Alaris GS", "2.3.5",
			[]hit{{"ICSMA-19-164-01", aff}}}, // 2.3.6 and  below
		{"two lines", "B. Braun Melsungen AG", "SpaceCom", "L70",
			[]hit{{"ICSMA-20-296-02", aff}}}, // <= U61 |<= L81
		{"dated range", "Abbott", "Assurity MRI", "1.0",
			[]hit{{"ICSMA-17-241-01", nc}}}, // < august 28 (manufactured before)
		{"model numbers as versions", "Medtronic", "MiniMed 640G", "1.0",
			[]hit{{"ICSMA-22-263-01", nc}}}, // MMT-1711 | MMT-1712 | ...
		{"condition in parentheses", "Baxter", "Sigma Spectrum", "8.1",
			[]hit{{"ICSMA-20-170-04", nc}, {"ICSMA-22-251-01", nc}}},
		{"uncomparable version", "Philips", "Vue PACS", "release 12",
			[]hit{{"ICSMA-21-187-01", nc}, {"ICSMA-24-200-01", nc}}},

		// No version: every advisory of the product.
		{"version unknown", "Philips", "Vue PACS", "",
			[]hit{{"ICSMA-21-187-01", unk}, {"ICSMA-24-200-01", unk}}},
		{"family prefix", "Santesoft", "Sante", "",
			[]hit{{"ICSMA-23-285-01", unk}, {"ICSMA-23-285-02", unk}, {"ICSMA-24-058-01", unk}, {"ICSMA-24-065-01", unk}}},

		// Advisories with many products.
		{"many products", "GE Healthcare", "LOGIQ 9", "BT04",
			[]hit{{"ICSMA-20-343-01", aff}}}, // one of 107 products: BT02 | BT03 | BT04 | BT06
		{"many products, other version", "GE Healthcare", "LOGIQ 9", "BT07",
			[]hit{{"ICSMA-20-343-01", nc}}}, // undotted versions may be models: not comparable
		{"product prefix", "GE Healthcare", "Optima CT", "",
			[]hit{{"ICSMA-20-343-01", unk}}},
		{"not at a word boundary", "GE Healthcare", "Optima CT5", "", nil},
		{"CVE lists differ within the advisory", "GE Healthcare", "Discovery NM530c", "1.002",
			[]hit{{"ICSMA-18-037-02", aff}}},
		{"Pyxis", "BD", "Pyxis MedStation ES", "",
			[]hit{{"ICSMA-18-114-01", unk}, {"ICSMA-20-091-01", unk}, {"ICSMA-22-062-01", unk}, {"ICSMA-22-151-01", unk}}},
		{"Pyxis with version", "BD", "Pyxis MedStation ES System", "1.6.1", // 1.6.1; all versions of "BD Pyxis MedStation ES"
			[]hit{{"ICSMA-18-114-01", aff}, {"ICSMA-20-091-01", aff}, {"ICSMA-22-062-01", aff}, {"ICSMA-22-151-01", aff}}},
		{"Pyxis, other version", "BD", "Pyxis MedStation ES System", "1.7",
			[]hit{{"ICSMA-18-114-01", aff}, {"ICSMA-22-062-01", aff}, {"ICSMA-22-151-01", aff}}},

		// Vendor names and aliases.
		{"GE for General Electric (GE)", "GE Healthcare", "Aespire", "7100",
			[]hit{{"ICSMA-19-190-01", aff}}},
		{"General Electric", "General Electric", "CARESCAPE Telemetry Server", "4.3",
			[]hit{{"ICSMA-20-023-01", aff}}},
		{"Phillips spelling", "Koninklijke Philips N.V.", "IntelliSpace Cardiovascular", "2.1",
			[]hit{{"ICSMA-17-318-01", aff}, {"ICSMA-18-025-01", aff}, {"ICSMA-18-226-01", aff}}},
		{"Philips by a DICOM Manufacturer", "PHILIPS MEDICAL SYSTEMS", "IntelliVue MX40", "",
			[]hit{{"ICSMA-17-255-01", unk}}},
		{"vendor by leading words", "Philips Medical Systems Nederland B.V.", "IntelliVue MX40", "",
			[]hit{{"ICSMA-17-255-01", unk}}},
		{"Siemens Healthineers", "Siemens Healthineers", "SPECT Systems", "",
			[]hit{{"ICSMA-17-215-01", unk}, {"ICSMA-17-215-02", unk}}},
		{"Welch Allyn under Hillrom and Baxter", "Welch Allyn", "Connex Spot Monitor", "1.40",
			[]hit{{"ICSMA-21-152-01", aff}, {"ICSMA-24-151-02", aff}}},
		{"Dräger", "Draeger", "Infinity Delta", "", []hit{{"ICSMA-19-022-01", unk}}},
		{"St. Jude under Abbott", "St. Jude Medical", "Assurity MRI", "", []hit{{"ICSMA-17-241-01", unk}}},
		{"one of several vendors", "Wind River", "VxWorks", "6.4", []hit{{"ICSMA-19-274-01", aff}}},
		{"GE of Silex Technology and GE Healthcare", "GE", "GEH-SD-320AN", "",
			[]hit{{"ICSMA-18-128-01", unk}}},
		{"mojibake vendor", "Innokas Yhtymä Oy", "VC150", "1.7.14", []hit{{"ICSMA-21-007-01", aff}}},
		{"abbreviation in parentheses", "Natus", "Xltek NeuroWorks", "8", []hit{{"ICSMA-18-165-01", aff}}},
		{"vendor name in the product", "Natus Medical Incorporated", "Natus Xltek NeuroWorks", "8", []hit{{"ICSMA-18-165-01", aff}}},
		{"case and punctuation", "b braun", "SPACECOM", "", []hit{{"ICSMA-20-296-02", unk}}},

		// Nothing.
		{"unknown vendor", "Acme Medical", "Alaris PC Unit", "", nil},
		{"other vendor's product", "Philips", "Alaris PC Unit", "", nil},
		{"empty product", "Philips", "", "", nil},
		{"empty vendor", "", "Vue PACS", "", nil},
		{"product of punctuation", "Philips", "--", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hits(Match(tt.vendor, tt.product, tt.version))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Match(%q, %q, %q) = %v, want %v", tt.vendor, tt.product, tt.version, got, tt.want)
			}
			// AppendMatch appends the same.
			pre := []Advisory{{ID: "x"}}
			app := AppendMatch(pre, tt.vendor, tt.product, tt.version)
			if app[0].ID != "x" || !slices.Equal(hits(app[1:]), tt.want) {
				t.Errorf("AppendMatch: %v", hits(app))
			}
		})
	}
}

// The fields of a result, and CVEs scored per product.
func TestMatchFields(t *testing.T) {
	r := Match("BD", "Alaris Guardrails Editor", "")
	// ICSMA-23-194-01 scores CVE-2023-30562 6.7 for Guardrails Editor <=12.1.2
	// (with seven more CVEs) and 3.0 for Guardrails Editor 12.1.3: two lists.
	if len(r) != 2 || r[0].ID != "ICSMA-23-194-01" || r[1].ID != "ICSMA-23-194-01" {
		t.Fatalf("got %v", hits(r))
	}
	a, b := r[0], r[1]
	if a.Product != "BD Alaris Guardrails Editor" || a.Versions != "<=12.1.2" || b.Versions != "12.1.3" {
		t.Errorf("products %q %q, %q %q", a.Product, a.Versions, b.Product, b.Versions)
	}
	if a.Vendor != "Becton, Dickinson and Company (BD)" || a.Title != "BD Alaris System with Guardrails Suite MX" ||
		a.Published != "2023-07-13" || a.Updated == "" || a.Status != VersionUnknown {
		t.Errorf("fields: %+v", a)
	}
	score := func(a Advisory, id string) float32 {
		for _, c := range a.CVEs {
			if c.ID == id {
				return c.Score
			}
		}
		return -1
	}
	if len(a.CVEs) != 8 || score(a, "CVE-2023-30562") != 6.7 || len(b.CVEs) != 1 || score(b, "CVE-2023-30562") != 3.0 {
		t.Errorf("CVEs %v / %v", a.CVEs, b.CVEs)
	}
	if !strings.HasPrefix(b.CVEs[0].Vector, "CVSS:3.1/") {
		t.Errorf("vector %q", b.CVEs[0].Vector)
	}
	// With the version, only the product whose range holds it.
	r = Match("BD", "Alaris Guardrails Editor", "12.1.3")
	if len(r) != 1 || r[0].Versions != "12.1.3" || len(r[0].CVEs) != 1 {
		t.Errorf("12.1.3: %v", r)
	}

	// Products listed only in a CVE's scores (ICSMA-17-215-01 puts three of
	// its four products in the scores, not in known_affected).
	r = Match("Siemens", "SPECT/CT Systems Windows XP-Based", "")
	if len(r) != 1 || len(r[0].CVEs) != 2 || r[0].CVEs[0].ID != "CVE-2008-4250" || r[0].CVEs[0].Score != 9.8 {
		t.Errorf("score-only product: %v", r)
	}

	// A group reports the best status among its matching products: a
	// compared version over an uncomparable one. ICSMA-19-164-01 lists
	// Alaris Gateway Workstation versions 1.1.5 and 1.1.6 beside ones
	// written as prose ("1.3.1 Build 13").
	for _, v := range []string{"1.1.5", "1.1.6", "1.0.13"} {
		r = Match("BD", "Alaris Gateway Workstation", v)
		if len(r) != 1 || r[0].Status != Affected || vers.Check(r[0].Versions, v) != vers.In {
			t.Errorf("%s: %+v", v, r)
		}
	}
	r = Match("BD", "Alaris Gateway Workstation", "3.0")
	if len(r) != 1 || r[0].Status != VersionNotComparable || vers.Classify(r[0].Versions) != vers.Text {
		t.Errorf("3.0: %+v", r)
	}

	// CVEs are capped to their group: appending to them cannot overwrite
	// the table.
	r = Match("Philips", "IntelliVue MX40", "")
	if c := r[0].CVEs; cap(c) != len(c) {
		t.Errorf("CVEs cap %d len %d", cap(c), len(c))
	}
}

func TestMatchMany(t *testing.T) {
	// More results than Match's stack buffer.
	r := Match("BD", "Alaris", "")
	if len(r) <= 8 {
		t.Fatalf("%d results for BD Alaris", len(r))
	}
	if !slices.IsSortedFunc(r, func(a, b Advisory) int { return strings.Compare(a.ID, b.ID) }) {
		t.Errorf("not sorted: %v", hits(r))
	}
}

func TestStatusString(t *testing.T) {
	for s, want := range map[Status]string{
		Affected: "affected", VersionUnknown: "version unknown", VersionNotComparable: "version not comparable", 0: "Status(0)", 9: "Status(9)",
	} {
		if got := s.String(); got != want {
			t.Errorf("%d: %q, want %q", s, got, want)
		}
	}
	_ = fmt.Sprint(Affected)
}
