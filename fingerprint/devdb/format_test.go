package devdb

import (
	"errors"
	"strings"
	"testing"
)

const sample = `# a test database
version 2025.1

entry ge-signa-mr
  vendor   GE Healthcare
  product  SIGNA MR
  class    modality
  modality MR
  os       Linux
  source   https://example.org/conformance.pdf
  note     seen in public sample files
  test 60 dicom.uid exact 1.2.840.113619.6.44
  test 30 dicom.version exact _V4_NUEVO.x86_64
  test 20 dicom.manufacturer prefix "GE MEDICAL"
  test 10 dicom.model regexp ` + "`^SIGNA (Pioneer|Premier)$`" + `

entry win7
  kind os
  os   Windows 7
  class it-workstation
  criticality low
  source Microsoft
  test 40 smb.os prefix Windows 7
`

func TestLoad(t *testing.T) {
	db, err := Load(strings.NewReader(sample), "sample.db")
	if err != nil {
		t.Fatal(err)
	}
	if db.Len() != 2 {
		t.Fatalf("Len = %d, want 2", db.Len())
	}
	if f := db.Files(); len(f) != 1 || f[0].Version != "2025.1" || f[0].Name != "sample.db" || f[0].Entries != 2 {
		t.Errorf("Files = %+v", f)
	}
	e := db.Entry("ge-signa-mr")
	if e == nil {
		t.Fatal("no entry ge-signa-mr")
	}
	if e.Vendor != "GE Healthcare" || e.Product != "SIGNA MR" || e.Class != ClassModality || e.Modality != "MR" ||
		e.OS != "Linux" || e.Kind != KindDevice || e.Line != 4 || e.File != "sample.db" {
		t.Errorf("entry = %+v", e)
	}
	if len(e.Sources) != 1 || len(e.Notes) != 1 || len(e.Tests) != 4 {
		t.Fatalf("sources %v notes %v tests %d", e.Sources, e.Notes, len(e.Tests))
	}
	want := []Test{
		{ID: "ge-signa-mr:dicom.uid", Field: FieldImplementationUID, Op: OpExact, Value: "1.2.840.113619.6.44", Weight: 60, Line: 12},
		{ID: "ge-signa-mr:dicom.version", Field: FieldImplementationVersion, Op: OpExact, Value: "_V4_NUEVO.x86_64", Weight: 30, Line: 13},
		{ID: "ge-signa-mr:dicom.manufacturer", Field: FieldManufacturer, Op: OpPrefix, Value: "GE MEDICAL", Weight: 20, Line: 14},
		{ID: "ge-signa-mr:dicom.model", Field: FieldModel, Op: OpRegexp, Value: "^SIGNA (Pioneer|Premier)$", Weight: 10, Line: 15},
	}
	for i, w := range want {
		g := e.Tests[i]
		g.re, g.sig = nil, nil
		if g != w {
			t.Errorf("test %d = %+v, want %+v", i, g, w)
		}
	}
	w7 := db.Entry("win7")
	if w7.Kind != KindOS || w7.OS != "Windows 7" || w7.EffectiveCriticality() != CriticalityLow {
		t.Errorf("win7 = %+v", w7)
	}
	if e.EffectiveCriticality() != CriticalityHigh {
		t.Errorf("modality criticality = %v", e.EffectiveCriticality())
	}
}

func TestTestIDs(t *testing.T) {
	db, err := Load(strings.NewReader("version 1\nentry a\nvendor A\nsource s\ntest 1 dicom.uid exact 1\ntest 1 dicom.uid exact 2\ntest 1 hl7.app exact X\n"), "t")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, x := range db.Entry("a").Tests {
		ids = append(ids, x.ID)
	}
	if got := strings.Join(ids, " "); got != "a:dicom.uid#1 a:dicom.uid#2 a:hl7.app" {
		t.Errorf("ids = %s", got)
	}
}

func TestLoadErrors(t *testing.T) {
	const head = "version 1\nentry e\nvendor V\nsource s\n"
	for _, c := range []struct {
		name, in   string
		line, col  int
		sentinel   error
		msgContain string
	}{
		{"no version", "entry e\n", 1, 1, ErrSyntax, "before the version"},
		{"empty", "", 1, 1, ErrSyntax, "no version"},
		{"two versions", "version 1\nversion 2\n", 2, 1, ErrSyntax, "second version"},
		{"version two words", "version 1 2\n", 1, 9, ErrSyntax, "one word"},
		{"outside", "version 1\nvendor X\n", 2, 1, ErrSyntax, "outside an entry"},
		{"bad id", "version 1\nentry a b\n", 2, 7, ErrSyntax, "entry id"},
		{"dup id", head + "test 1 hl7.app exact A\nentry e\n", 6, 7, ErrDuplicate, "already defined"},
		{"keyword", head + "colour red\n", 5, 1, ErrSyntax, "unknown keyword"},
		{"class", head + "class toaster\n", 5, 7, ErrSyntax, "unknown class"},
		{"kind", head + "kind thing\n", 5, 6, ErrSyntax, "kind"},
		{"criticality", head + "criticality extreme\n", 5, 13, ErrSyntax, "criticality"},
		{"modality", head + "modality mr\n", 5, 10, ErrSyntax, "modality"},
		{"modality class", head + "modality MR\ntest 1 hl7.app exact A\n", 2, 1, ErrInvalid, "modality is for class"},
		{"weight", head + "test x hl7.app exact A\n", 5, 6, ErrSyntax, "weight"},
		{"weight range", head + "test 1001 hl7.app exact A\n", 5, 6, ErrSyntax, "weight"},
		{"field", head + "test 1 hl7.nope exact A\n", 5, 8, ErrSyntax, "unknown field"},
		{"op", head + "test 1 hl7.app like A\n", 5, 16, ErrSyntax, "unknown match"},
		{"no value", head + "test 1 hl7.app exact\n", 5, 21, ErrSyntax, "wants a value"},
		{"quote", head + "test 1 hl7.app exact \"A\n", 5, 22, ErrSyntax, "quoted"},
		{"regexp", head + "test 1 hl7.app regexp a(b\n", 5, 23, ErrInvalid, "regular expression"},
		{"mac op", head + "test 1 mac suffix 00\n", 5, 12, ErrInvalid, "mac tests"},
		{"mac hex", head + "test 1 mac prefix 00:GG\n", 5, 19, ErrInvalid, "mac"},
		{"mac exact short", head + "test 1 mac exact 0009FB\n", 5, 18, ErrInvalid, "mac"},
		{"p0f field", head + "test 1 hl7.app p0f 4:64:0:*:mss*10,6:mss:df:0\n", 5, 16, ErrInvalid, "p0f match"},
		{"p0f sig", head + "test 1 p0f p0f 4:64:0\n", 5, 16, ErrInvalid, "p0f signature"},
		{"long value", head + "test 1 hl7.app exact " + strings.Repeat("a", 256) + "\n", 5, 22, ErrInvalid, "longer than"},
		{"space value", head + "test 1 hl7.app exact \" A\"\n", 5, 22, ErrInvalid, "space"},
		{"no source", "version 1\nentry e\nvendor V\ntest 1 hl7.app exact A\n", 2, 1, ErrInvalid, "no source"},
		{"no test", head + "entry f\n", 2, 1, ErrInvalid, "no test"},
		{"no vendor", "version 1\nentry e\nsource s\ntest 1 hl7.app exact A\n", 2, 1, ErrInvalid, "vendor or a product"},
		{"os kind", "version 1\nentry e\nkind os\nsource s\ntest 1 hl7.app exact A\n", 2, 1, ErrInvalid, "os line"},
		{"second vendor", head + "vendor W\n", 5, 1, ErrSyntax, "second vendor"},
		{"control", head + "note a\x01b\n", 5, 7, ErrSyntax, "control character"},
		{"long line", head + "note " + strings.Repeat("a", MaxLineLen) + "\n", 5, MaxLineLen + 1, ErrSyntax, "line longer"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(c.in), "f.db")
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if e.Line != c.line || e.Column != c.col || !errors.Is(err, c.sentinel) || !strings.Contains(e.Msg, c.msgContain) || e.File != "f.db" {
				t.Errorf("err = %v (line %d col %d), want line %d col %d, %v, containing %q", err, e.Line, e.Column, c.line, c.col, c.sentinel, c.msgContain)
			}
			if !strings.HasPrefix(err.Error(), "devdb: f.db:") {
				t.Errorf("message %q", err)
			}
		})
	}
}

func TestMergeDuplicate(t *testing.T) {
	a, err := Load(strings.NewReader(sample), "a.db")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Load(strings.NewReader(sample), "b.db")
	if err := a.Merge(b); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("Merge = %v, want ErrDuplicate", err)
	}
	if a.Len() != 2 {
		t.Errorf("a failed merge changed a: %d entries", a.Len())
	}
	c, err := Load(strings.NewReader("version 7\nentry other\nvendor O\nsource s\ntest 5 hl7.app exact O\n"), "c.db")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Merge(c); err != nil {
		t.Fatal(err)
	}
	if a.Len() != 3 || len(a.Files()) != 2 || a.Entry("other") == nil {
		t.Errorf("after merge: %d entries, files %v", a.Len(), a.Files())
	}
	if m := a.Match(&Evidence{HL7SendingApp: "O"}, nil); len(m) != 1 || m[0].Entry.ID != "other" {
		t.Errorf("merged entry does not match: %v", m)
	}
}

func TestDefaultIsolated(t *testing.T) {
	d := Default()
	n := d.Len()
	c, err := Load(strings.NewReader("version 7\nentry zz-local-test\nvendor O\nsource s\ntest 5 hl7.app exact O\n"), "c.db")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Merge(c); err != nil {
		t.Fatal(err)
	}
	if Default().Len() != n || Default().Entry("zz-local-test") != nil {
		t.Error("merging into Default() changed later Default() calls")
	}
}
