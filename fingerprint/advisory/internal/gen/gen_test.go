package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	table "github.com/medtap/medtap/fingerprint/advisory"
)

// src is the snapshot, seen from this directory.
const src = "../../../../../shared/advisories"

func needSnapshot(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(src, "README.md")); err != nil {
		t.Skipf("no advisory snapshot at %s: %v", src, err)
	}
}

// The committed table is what the generator makes of the snapshot.
func TestUpToDate(t *testing.T) {
	needSnapshot(t)
	b, _, err := generate(src)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "table_gen.go")
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
	fresh, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../../table_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		fl, cl := bytes.Split(fresh, []byte("\n")), bytes.Split(committed, []byte("\n"))
		for i := range min(len(fl), len(cl)) {
			if !bytes.Equal(fl[i], cl[i]) {
				t.Fatalf("table_gen.go is out of date (run go generate in fingerprint/advisory); line %d:\ncommitted: %s\ngenerated: %s", i+1, cl[i], fl[i])
			}
		}
		t.Fatalf("table_gen.go is out of date (run go generate in fingerprint/advisory): %d lines, generated %d", len(cl), len(fl))
	}
	// Generating twice gives the same bytes.
	again, _, err := generate(src)
	if err != nil || !bytes.Equal(again, b) {
		t.Fatal("two runs differ")
	}
}

// Every product of every advisory in the snapshot is found by its own
// vendor and product name, with the CVEs that name it.
func TestEveryProduct(t *testing.T) {
	needSnapshot(t)
	files, err := filepath.Glob(filepath.Join(src, "icsma", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no advisories: %v", err)
	}
	products := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d csafDoc
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatal(err)
		}
		id := d.Document.Tracking.ID
		// CVEs per product id: product_status.known_affected and scores.
		want := map[string][]string{}
		for _, v := range d.Vulnerabilities {
			ids := slices.Clone(v.ProductStatus["known_affected"])
			for _, s := range v.Scores {
				ids = append(ids, s.Products...)
			}
			slices.Sort(ids)
			for _, p := range slices.Compact(ids) {
				want[p] = append(want[p], v.CVE)
			}
		}
		var walk func(b branch, vendor, name string)
		walk = func(b branch, vendor, name string) {
			switch b.Category {
			case "vendor":
				vendor = b.Name
			case "product_name":
				name = b.Name
			}
			if b.Product != nil {
				products++
				wantCVEs := want[b.Product.ProductID]
				slices.Sort(wantCVEs)
				found := false
				for _, a := range table.Match(vendor, name, "") {
					if a.ID != id {
						continue
					}
					if a.Status != table.VersionUnknown {
						t.Errorf("%s %q: status %v", id, name, a.Status)
					}
					var got []string
					for _, c := range a.CVEs {
						got = append(got, c.ID)
					}
					slices.Sort(got)
					if slices.Equal(got, wantCVEs) {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: %q %q (%s) not found with CVEs %v", id, vendor, name, b.Product.ProductID, wantCVEs)
				}
			}
			for _, c := range b.Branches {
				walk(c, vendor, name)
			}
		}
		for _, b := range d.ProductTree.Branches {
			walk(b, "", "")
		}
	}
	if products < 600 {
		t.Errorf("only %d products in the snapshot", products)
	}
}
