// Command gen writes table_gen.go of package advisory from CISA's ICS Medical
// Advisories in CSAF 2.0 JSON: a directory holding README.md (which names the
// snapshot: "snapshot of commit <hex>") and icsma/*.json. Run it with go
// generate in the advisory directory; see ../../README.md.
//
// For every advisory it keeps the id, the title (without a leading "<id>_"),
// the initial and current release dates, and for every product of the
// product tree the vendor, the product name and the affected versions as the
// CSAF writes them, with the CVEs that list the product in
// product_status.known_affected (or first_affected, last_affected) or in one
// of their scores, each with its CVSS v3 base score and vector (v2 when
// there is no v3). Products of one advisory that share a vendor and a list of
// CVEs form one group; the matcher reports an advisory once per group.
package main

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/medtap/medtap/fingerprint/advisory/internal/norm"
	"github.com/medtap/medtap/fingerprint/advisory/internal/vers"
)

func main() {
	src := flag.String("src", "../../../shared/advisories", "directory with README.md and icsma/*.json")
	out := flag.String("o", "table_gen.go", "output file")
	flag.Parse()
	b, notes, err := generate(*src)
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range notes {
		log.Print(n)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

// CSAF 2.0, the parts read.
type csafDoc struct {
	Document struct {
		Title        string `json:"title"`
		Distribution struct {
			TLP struct {
				Label string `json:"label"`
			} `json:"tlp"`
		} `json:"distribution"`
		Tracking struct {
			ID                 string `json:"id"`
			InitialReleaseDate string `json:"initial_release_date"`
			CurrentReleaseDate string `json:"current_release_date"`
		} `json:"tracking"`
	} `json:"document"`
	ProductTree struct {
		Branches         []branch          `json:"branches"`
		FullProductNames []json.RawMessage `json:"full_product_names"`
		Relationships    []json.RawMessage `json:"relationships"`
		ProductGroups    []json.RawMessage `json:"product_groups"`
	} `json:"product_tree"`
	Vulnerabilities []struct {
		CVE           string              `json:"cve"`
		ProductStatus map[string][]string `json:"product_status"`
		Scores        []struct {
			CVSSv3   *cvss    `json:"cvss_v3"`
			CVSSv2   *cvss    `json:"cvss_v2"`
			Products []string `json:"products"`
		} `json:"scores"`
	} `json:"vulnerabilities"`
}

type branch struct {
	Category string   `json:"category"`
	Name     string   `json:"name"`
	Branches []branch `json:"branches"`
	Product  *struct {
		Name      string `json:"name"`
		ProductID string `json:"product_id"`
	} `json:"product"`
}

type cvss struct {
	BaseScore    float64 `json:"baseScore"`
	VectorString string  `json:"vectorString"`
}

// Rows of the table.
type advisory struct {
	id, title, published, updated string
	groups                        []group
}

type group struct {
	vendor   string   // as the CSAF writes it
	keys     []string // its vendor keys
	products []product
	cves     []cve
}

type product struct {
	name, key, versions string
	form                vers.Form
}

type cve struct {
	id     string
	score  float64
	vector string
}

// vendorSplit names the vendors of CSAF vendor branches that name several.
// Other names are one vendor, plus the abbreviation in parentheses
// ("General Electric (GE)").
var vendorSplit = map[string][]string{
	"BMC Medical, 3B Medical": {"BMC Medical", "3B Medical"},
	"ENEA, Green Hills Software, ITRON, IP Infusion, and Wind River": {"ENEA", "Green Hills Software", "ITRON", "IP Infusion", "Wind River"},
	"Hillrom and ELI, Baxter International Inc.":                     {"Hillrom", "Baxter International Inc."},
	"Silex Technology and GE Healthcare":                             {"Silex Technology", "GE Healthcare"},
}

// stats counts what the table holds and what it leaves out.
type stats struct {
	files, leaves, text, partial, noCVE, scoreOnly, v2 int
	cveIDs                                             map[string]bool
	skipped                                            map[string]int // what the table does not hold
}

var snapshotRE = regexp.MustCompile(`snapshot of commit ([0-9a-f]{7,40})`)

// generate reads src and returns the Go source of the table, with notes on
// what may need a look (new multi-vendor names).
func generate(src string) ([]byte, []string, error) {
	readme, err := os.ReadFile(filepath.Join(src, "README.md"))
	if err != nil {
		return nil, nil, err
	}
	m := snapshotRE.FindSubmatch(readme)
	if m == nil {
		return nil, nil, errors.New("gen: README.md does not name the snapshot (\"snapshot of commit <hex>\")")
	}
	snapshot := string(m[1])
	files, err := filepath.Glob(filepath.Join(src, "icsma", "*.json"))
	if err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("gen: no icsma/*.json in %s", src)
	}
	slices.Sort(files)
	st := stats{cveIDs: map[string]bool{}, skipped: map[string]int{}}
	var notes []string
	digest := sha256.New()
	var advs []advisory
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		fmt.Fprintf(digest, "%s %d\n", filepath.Base(f), len(b))
		digest.Write(b)
		a, n, err := read(b, &st)
		if err != nil {
			return nil, nil, fmt.Errorf("gen: %s: %v", filepath.Base(f), err)
		}
		notes = append(notes, n...)
		advs = append(advs, a)
		st.files++
	}
	slices.SortFunc(advs, func(a, b advisory) int { return cmp.Compare(a.id, b.id) })
	for i := 1; i < len(advs); i++ {
		if advs[i].id == advs[i-1].id {
			return nil, nil, fmt.Errorf("gen: advisory %s twice", advs[i].id)
		}
	}
	b, err := write(advs, &st, snapshot, hex.EncodeToString(digest.Sum(nil)))
	return b, notes, err
}

// read converts one CSAF document.
func read(b []byte, st *stats) (advisory, []string, error) {
	var d csafDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return advisory{}, nil, err
	}
	t := d.Document.Tracking
	if t.ID == "" {
		return advisory{}, nil, errors.New("no document.tracking.id")
	}
	a := advisory{
		id:        t.ID,
		title:     strings.TrimSpace(d.Document.Title),
		published: date(t.InitialReleaseDate),
		updated:   date(t.CurrentReleaseDate),
	}
	if len(a.title) > len(a.id) && strings.EqualFold(a.title[:len(a.id)], a.id) && a.title[len(a.id)] == '_' {
		a.title = strings.TrimSpace(a.title[len(a.id)+1:])
	}
	if l := d.Document.Distribution.TLP.Label; l != "WHITE" && l != "CLEAR" {
		return advisory{}, nil, fmt.Errorf("TLP %q: only TLP:WHITE/CLEAR documents may go into the table", l)
	}
	st.skipped["product_tree.full_product_names"] += len(d.ProductTree.FullProductNames)
	st.skipped["product_tree.relationships"] += len(d.ProductTree.Relationships)
	st.skipped["product_tree.product_groups"] += len(d.ProductTree.ProductGroups)

	// The CVEs of each product id.
	affects := map[string][]cve{}
	for _, v := range d.Vulnerabilities {
		if v.CVE == "" {
			st.skipped["vulnerabilities without a CVE id"]++
			continue
		}
		st.cveIDs[v.CVE] = true
		listed := map[string]bool{}
		for _, k := range []string{"known_affected", "first_affected", "last_affected"} {
			for _, p := range v.ProductStatus[k] {
				listed[p] = true
			}
		}
		for k, ps := range v.ProductStatus {
			if k != "known_affected" && k != "first_affected" && k != "last_affected" {
				st.skipped["product_status."+k] += len(ps)
			}
		}
		score := map[string]cvss{}
		for _, s := range v.Scores {
			c := s.CVSSv3
			if c == nil {
				c = s.CVSSv2
				if c != nil {
					st.v2++
				}
			}
			for _, p := range s.Products {
				if !listed[p] {
					listed[p] = true
					st.scoreOnly++
				}
				if _, ok := score[p]; !ok && c != nil {
					score[p] = *c
				}
			}
		}
		for p := range listed {
			s := score[p]
			affects[p] = append(affects[p], cve{v.CVE, s.BaseScore, s.VectorString})
		}
	}

	var notes []string
	type leaf struct {
		vendor int // index of the vendor branch
		p      product
		cves   []cve
	}
	var leaves []leaf
	var vendors []string
	var walk func(b branch, vendor, name string) error
	walk = func(b branch, vendor, name string) error {
		switch b.Category {
		case "vendor":
			vendor = strings.TrimSpace(b.Name)
			vendors = append(vendors, vendor)
		case "product_name", "product_family":
			if name != "" {
				name += " " + b.Name
			} else {
				name = b.Name
			}
		}
		if b.Product != nil {
			if vendor == "" {
				return fmt.Errorf("product %s outside a vendor branch", b.Product.ProductID)
			}
			versions := ""
			switch b.Category {
			case "product_version", "product_version_range":
				versions = strings.TrimSpace(b.Name)
			default:
				st.skipped["products without a version branch"]++
			}
			cs := affects[b.Product.ProductID]
			slices.SortFunc(cs, func(a, b cve) int { return compareCVE(a.id, b.id) })
			cs = slices.CompactFunc(cs, func(a, b cve) bool { return a.id == b.id })
			if len(cs) == 0 {
				st.noCVE++
			}
			f := vers.Classify(versions)
			switch f {
			case vers.Text:
				st.text++
			case vers.Partial:
				st.partial++
			}
			leaves = append(leaves, leaf{len(vendors) - 1, product{name: strings.TrimSpace(name), versions: versions, form: f}, cs})
			st.leaves++
		}
		for _, c := range b.Branches {
			if err := walk(c, vendor, name); err != nil {
				return err
			}
		}
		return nil
	}
	for _, b := range d.ProductTree.Branches {
		if err := walk(b, "", ""); err != nil {
			return advisory{}, nil, err
		}
	}

	// Vendor keys and product keys.
	keys := make([][]string, len(vendors))
	for i, v := range vendors {
		names, ok := vendorSplit[v]
		if !ok {
			names = []string{v}
			if o, c := strings.IndexByte(v, '('), strings.LastIndexByte(v, ')'); o >= 0 && c > o {
				names = append(names, v[o+1:c])
			}
			if severalVendors(names[0]) {
				notes = append(notes, fmt.Sprintf("%s: vendor %q may name several vendors: add it to vendorSplit if so", a.id, v))
			}
		}
		for _, n := range names {
			k := string(norm.VendorKey(make([]byte, 0, norm.MaxKey), n))
			if k != "" && !slices.Contains(keys[i], k) {
				keys[i] = append(keys[i], k)
			}
		}
		if len(keys[i]) == 0 {
			return advisory{}, nil, fmt.Errorf("vendor %q has no key", v)
		}
	}
	for i := range leaves {
		l := &leaves[i]
		w := norm.Words(make([]byte, 0, norm.MaxKey), l.p.name, true)
		l.p.key = string(norm.StripVendor(w, keys[l.vendor]...))
		if l.p.key == "" {
			return advisory{}, nil, fmt.Errorf("product %q has no key", l.p.name)
		}
	}

	// Groups: one vendor branch, one list of CVEs, in order of appearance.
	for _, l := range leaves {
		vendor := vendors[l.vendor]
		i := slices.IndexFunc(a.groups, func(g group) bool {
			return g.vendor == vendor && slices.Equal(g.cves, l.cves)
		})
		if i < 0 {
			a.groups = append(a.groups, group{vendor: vendor, keys: keys[l.vendor], cves: l.cves})
			i = len(a.groups) - 1
		}
		a.groups[i].products = append(a.groups[i].products, l.p)
	}
	if len(a.groups) == 0 {
		return advisory{}, nil, errors.New("no products")
	}
	return a, notes, nil
}

// severalVendors reports whether a vendor name looks like a list: it has
// " and " or ", " followed by more than a legal form ("Natus Medical, Inc."
// is one vendor), and it is not a name of the alias table.
func severalVendors(v string) bool {
	if _, ok := norm.Canonical(norm.VendorKey(make([]byte, 0, norm.MaxKey), v)); ok {
		return false
	}
	if _, ok := norm.Canonical(norm.Join(make([]byte, 0, norm.MaxKey), norm.VendorWords(make([]byte, 0, norm.MaxKey), v))); ok {
		return false
	}
	if strings.Contains(v, " and ") {
		return true
	}
	parts := strings.Split(v, ", ")
	for _, p := range parts[1:] {
		w := norm.VendorWords(make([]byte, 0, norm.MaxKey), "x "+p)
		if string(w) != "x" {
			return true
		}
	}
	return false
}

// date keeps the YYYY-MM-DD of an RFC 3339 time.
func date(s string) string {
	if len(s) >= 10 {
		return s[:10]
	}
	return s
}

// compareCVE orders CVE ids by year, then number.
func compareCVE(a, b string) int {
	ya, na := splitCVE(a)
	yb, nb := splitCVE(b)
	return cmp.Or(cmp.Compare(ya, yb), cmp.Compare(na, nb), cmp.Compare(a, b))
}

func splitCVE(s string) (year, num int) {
	parts := strings.Split(s, "-")
	if len(parts) == 3 {
		year, _ = strconv.Atoi(parts[1])
		num, _ = strconv.Atoi(parts[2])
	}
	return year, num
}

// write formats the table.
func write(advs []advisory, st *stats, snapshot, digest string) ([]byte, error) {
	var groups, products, cves, vendorRows, vendorGroups bytes.Buffer
	nGroups, nProducts, nCVEs := 0, 0, 0
	index := map[string][]int{} // vendor key → groups
	names := map[string]bool{}
	for ai, a := range advs {
		for _, g := range a.groups {
			fmt.Fprintf(&groups, "\t{%d, %q, %d, %d, %d, %d}, // %s\n", ai, g.vendor,
				nProducts, nProducts+len(g.products), nCVEs, nCVEs+len(g.cves), a.id)
			for _, p := range g.products {
				comment := ""
				switch p.form {
				case vers.Text:
					comment = " // text"
				case vers.Partial:
					comment = " // partly text"
				}
				fmt.Fprintf(&products, "\t{%q, %q, %q, vers.%s},%s\n", p.name, p.key, p.versions, formName(p.form), comment)
				names[p.key] = true
			}
			for _, c := range g.cves {
				fmt.Fprintf(&cves, "\t{%q, %s, %q},\n", c.id, strconv.FormatFloat(c.score, 'f', -1, 32), c.vector)
			}
			for _, k := range g.keys {
				index[k] = append(index[k], nGroups)
			}
			nGroups++
			nProducts += len(g.products)
			nCVEs += len(g.cves)
		}
	}
	if nProducts > 0xFFFF || nCVEs > 0xFFFF || nGroups > 0xFFFF || len(advs) > 0xFFFF {
		return nil, errors.New("gen: table too large for uint16 indexes")
	}
	keys := make([]string, 0, len(index))
	for k := range index {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	n := 0
	for _, k := range keys {
		gs := index[k]
		fmt.Fprintf(&vendorRows, "\t{%q, %d, %d},\n", k, n, n+len(gs))
		vendorGroups.WriteString("\t")
		for i, g := range gs {
			if i > 0 {
				vendorGroups.WriteString(", ")
			}
			fmt.Fprintf(&vendorGroups, "%d", g)
		}
		fmt.Fprintf(&vendorGroups, ", // %s\n", k)
		n += len(gs)
	}

	first, last := advs[0], advs[len(advs)-1]
	from, to := first.published, first.published
	for _, a := range advs {
		from, to = min(from, a.published), max(to, a.published)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by internal/gen from CISA's ICS Medical Advisories (CSAF 2.0); DO NOT EDIT.\n\n")
	fmt.Fprintf(&b, "// Source: github.com/cisagov/CSAF, csaf_files/OT/white/<year>/icsma-*.json at commit\n")
	fmt.Fprintf(&b, "// %s: %d advisories, %s to %s, published %s\n", snapshot, st.files, first.id, last.id, from)
	fmt.Fprintf(&b, "// to %s. U.S. Government works, TLP:WHITE. SHA-256 of the inputs (name, size and\n", to)
	fmt.Fprintf(&b, "// content of each file in order): %s.\n//\n", digest)
	fmt.Fprintf(&b, "// Table: %d advisories, %d product entries (%d distinct product keys) in %d groups,\n", len(advs), nProducts, len(names), nGroups)
	fmt.Fprintf(&b, "// %d CVE rows of %d distinct CVEs, %d vendor keys.\n", nCVEs, len(st.cveIDs), len(keys))
	fmt.Fprintf(&b, "// Affected versions kept as text, never compared: %d entries (marked \"text\"); in part\n", st.text)
	fmt.Fprintf(&b, "// text: %d (\"partly text\"). CVE-product pairs found only in a CVE's scores, not in\n", st.partial)
	fmt.Fprintf(&b, "// its product_status: %d; entries no CVE names: %d; CVSS v2 scores used: %d.\n", st.scoreOnly, st.noCVE, st.v2)
	fmt.Fprintf(&b, "// Not held: document notes, references, acknowledgments and revision history; CWEs,\n")
	fmt.Fprintf(&b, "// remediations, notes and titles of vulnerabilities; CVSS severities; the full names\n")
	fmt.Fprintf(&b, "// of products; whether a version was a product_version or a product_version_range.\n")
	skipped := make([]string, 0, len(st.skipped))
	for k, v := range st.skipped {
		if v > 0 {
			skipped = append(skipped, fmt.Sprintf("%s: %d", k, v))
		}
	}
	slices.Sort(skipped)
	if len(skipped) > 0 {
		fmt.Fprintf(&b, "// Not read: %s.\n", strings.Join(skipped, "; "))
	}
	fmt.Fprintf(&b, "\npackage advisory\n\nimport \"github.com/medtap/medtap/fingerprint/advisory/internal/vers\"\n\n")
	fmt.Fprintf(&b, "// Source names the advisories and the snapshot the table was generated from.\nconst Source = %q\n\n", fmt.Sprintf("CISA ICS Medical Advisories (CSAF 2.0), github.com/cisagov/CSAF at %s: %d advisories to %s (%s)", snapshot, st.files, last.id, to))
	fmt.Fprintf(&b, "var advisories = [%d]advisoryRow{\n", len(advs))
	for _, a := range advs {
		fmt.Fprintf(&b, "\t{%q, %q, %q, %q},\n", a.id, a.title, a.published, a.updated)
	}
	fmt.Fprintf(&b, "}\n\n// Each group: advisory, vendor, products [lo, hi), CVEs [lo, hi).\nvar groups = [%d]groupRow{\n%s}\n\n", nGroups, groups.String())
	fmt.Fprintf(&b, "// Each product: name, key, affected versions, how much of them compares.\nvar products = [%d]productRow{\n%s}\n\n", nProducts, products.String())
	fmt.Fprintf(&b, "var cves = [%d]CVE{\n%s}\n\n", nCVEs, cves.String())
	fmt.Fprintf(&b, "// Each vendor key: its groups in vendorGroups[lo:hi].\nvar vendors = [%d]vendorRow{\n%s}\n\n", len(keys), vendorRows.String())
	fmt.Fprintf(&b, "var vendorGroups = [%d]uint16{\n%s}\n", n, vendorGroups.String())
	return format.Source(b.Bytes())
}

func formName(f vers.Form) string {
	switch f {
	case vers.Parsed:
		return "Parsed"
	case vers.Partial:
		return "Partial"
	}
	return "Text"
}
