// Command seedgen writes the seed files of the device database
// (fingerprint/devdb/data/*.db) from the source facts it is given: the
// TSV files of DICOM implementations, HL7 senders, ASTM senders and medical
// OUIs, and IANA's Private Enterprise Numbers as Wireshark ships them. Every
// entry keeps the source of each row it came from. The output depends only
// on the inputs.
//
//	go run ./fingerprint/devdb/internal/seedgen -facts DIR -enterprises FILE -out fingerprint/devdb/data
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

type test struct {
	weight       int
	field, op, v string
}

type entry struct {
	id, kind, vendor, product, class, modality, os string
	sources, notes                                 []string
	tests                                          []test
}

func (e *entry) addSource(s string) {
	if s != "" && !slices.Contains(e.sources, s) {
		e.sources = append(e.sources, s)
	}
}

func (e *entry) addNote(s string) {
	if s != "" && !slices.Contains(e.notes, s) {
		e.notes = append(e.notes, s)
	}
}

func (e *entry) addTest(t test) {
	for i, x := range e.tests {
		if x.field == t.field && x.op == t.op && strings.EqualFold(x.v, t.v) {
			e.tests[i].weight = max(x.weight, t.weight)
			return
		}
	}
	e.tests = append(e.tests, t)
}

func value(v string) string {
	if v != strings.TrimSpace(v) || strings.ContainsAny(v, "\"`") || strings.HasPrefix(v, "#") {
		return strconv.Quote(v)
	}
	return v
}

func write(path, version string, header []string, entries []*entry) {
	var b strings.Builder
	for _, h := range header {
		b.WriteString("# " + h + "\n")
	}
	fmt.Fprintf(&b, "version %s\n", version)
	for _, e := range entries {
		fmt.Fprintf(&b, "\nentry %s\n", e.id)
		kv := func(k, v string) {
			if v != "" {
				fmt.Fprintf(&b, "  %-8s %s\n", k, v)
			}
		}
		if e.kind != "device" {
			kv("kind", e.kind)
		}
		kv("vendor", e.vendor)
		kv("product", e.product)
		if e.class != "unknown" {
			kv("class", e.class)
		}
		kv("modality", e.modality)
		kv("os", e.os)
		for _, s := range e.sources {
			kv("source", s)
		}
		for _, n := range e.notes {
			kv("note", n)
		}
		for _, t := range e.tests {
			fmt.Fprintf(&b, "  test %d %s %s %s\n", t.weight, t.field, t.op, value(t.v))
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		log.Fatal(err)
	}
}

func readTSV(path string) [][]string {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		rows = append(rows, strings.Split(sc.Text(), "\t"))
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	return rows
}

func slug(s string) string {
	var b []byte
	dash := true
	for _, c := range []byte(strings.ToLower(s)) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b = append(b, c)
			dash = false
		} else if !dash {
			b = append(b, '-')
			dash = true
		}
	}
	out := strings.TrimSuffix(string(b), "-")
	// IDs stay short: the first four words.
	if w := strings.Split(out, "-"); len(w) > 4 {
		out = strings.Join(w[:4], "-")
	}
	return out
}

// splitNote splits "product (note)" into the product and the note.
func splitNote(s string) (string, string) {
	if i := strings.Index(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
		return s[:i], s[i+2 : len(s)-1]
	}
	return s, ""
}

// collector keeps entries in first-seen order.
type collector struct {
	order []*entry
	byID  map[string]*entry
}

func (c *collector) get(id string, init func(*entry)) *entry {
	if c.byID == nil {
		c.byID = map[string]*entry{}
	}
	if e := c.byID[id]; e != nil {
		return e
	}
	e := &entry{id: id, kind: "device", class: "unknown"}
	init(e)
	c.byID[id] = e
	c.order = append(c.order, e)
	return e
}

func main() {
	facts := flag.String("facts", "../shared/fingerprint", "directory of the source TSV files")
	ent := flag.String("enterprises", "/usr/share/wireshark/enterprises.tsv", "IANA enterprise numbers (Wireshark's copy)")
	out := flag.String("out", "fingerprint/devdb/data", "output directory")
	flag.Parse()
	dicom(filepath.Join(*facts, "dicom-implementations.tsv"), filepath.Join(*out, "dicom.db"))
	hl7(filepath.Join(*facts, "hl7-senders.tsv"), filepath.Join(*out, "hl7.db"))
	astm(filepath.Join(*facts, "astm-senders.tsv"), filepath.Join(*out, "astm.db"))
	ouis(filepath.Join(*facts, "medical-ouis.tsv"), filepath.Join(*out, "oui-medical.db"))
	snmp(*ent, filepath.Join(*out, "snmp.db"))
	windows(filepath.Join(*out, "windows.db"))
}
