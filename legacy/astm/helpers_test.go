package astm

import (
	"errors"
	"flag"
	"fmt"
	"github.com/medtap/medtap/internal/testutil"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// corpusDir returns ../shared/corpus/astm beside the repository root, or
// skips the test when it is absent.
func corpusDir(t testing.TB) string {
	t.Helper()
	return testutil.Corpus(t, "astm")
}

// corpusFiles returns the names and contents of the corpus files.
func corpusFiles(t testing.TB) map[string][]byte {
	dir := corpusDir(t)
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(names) == 0 {
		t.Skipf("no corpus files in %s", dir)
	}
	m := make(map[string][]byte)
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		m[strings.TrimSuffix(filepath.Base(n), ".txt")] = b
	}
	return m
}

// summarize describes a record in one line.
func summarize(r Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%c %s", r.Type, r.Type)
	q := func(k string, v []byte) {
		if len(v) > 0 {
			fmt.Fprintf(&b, " %s=%q", k, v)
		}
	}
	switch r.Type {
	case TypeHeader:
		h, err := r.Header()
		if err != nil {
			return "header error: " + err.Error()
		}
		fmt.Fprintf(&b, " delims=%q", h.Delims.String())
		q("sender", h.Sender)
		q("name", h.SenderName())
		q("receiver", h.Receiver)
		q("processing", h.ProcessingID)
		q("version", h.Version)
		q("time", h.Time)
	case TypePatient:
		p, _ := r.Patient()
		fmt.Fprintf(&b, " seq=%d", p.Seq)
		q("practice_id", p.PracticeID)
		q("lab_id", p.LabID)
		q("sex", p.Sex)
	case TypeOrder:
		o, _ := r.Order()
		fmt.Fprintf(&b, " seq=%d", o.Seq)
		q("specimen", o.SpecimenID)
		q("instrument_specimen", o.InstrumentSpecimenID)
		q("test", o.TestID)
		q("priority", o.Priority)
		q("action", o.ActionCode)
		q("report", o.ReportType)
	case TypeResult:
		res, _ := r.Result()
		fmt.Fprintf(&b, " seq=%d", res.Seq)
		q("code", res.TestCode())
		q("value", res.Value)
		q("units", res.Units)
		q("range", res.Range)
		q("flags", res.Flags)
		q("status", res.Status)
		q("completed", res.CompletedAt)
		q("started", res.StartedAt)
	case TypeComment:
		c, _ := r.Comment()
		fmt.Fprintf(&b, " seq=%d", c.Seq)
		q("source", c.Source)
		q("text", c.Text)
		q("type", c.Type)
	case TypeQuery:
		c, _ := r.Query()
		fmt.Fprintf(&b, " seq=%d", c.Seq)
		q("start", c.StartRange)
		q("test", c.TestID)
		q("status", c.Status)
	case TypeTerminator:
		l, _ := r.Terminator()
		fmt.Fprintf(&b, " seq=%d", l.Seq)
		q("code", l.Code)
		if m := l.Meaning(); m != "" {
			fmt.Fprintf(&b, " meaning=%s", m)
		}
	case TypeManufacturer:
		m, _ := r.Manufacturer()
		fmt.Fprintf(&b, " seq=%d", m.Seq)
		q("kind", m.Kind)
		q("kind_name", m.KindName())
		q("m4", m.Field(4))
	case TypeScientific:
		sc, _ := r.Scientific()
		fmt.Fprintf(&b, " seq=%d", sc.Seq)
		q("method", sc.Method)
		q("instrument", sc.Instrumentation)
		q("reagents", sc.Reagents)
		q("units_of_measure", sc.UnitsOfMeasure)
		q("qc", sc.QualityControl)
		q("specimen_descriptor", sc.SpecimenDescriptor)
		q("container", sc.Container)
		q("specimen", sc.SpecimenID)
		q("analyte", sc.Analyte)
		q("result", sc.Result)
		q("result_units", sc.ResultUnits)
		q("collected", sc.CollectedAt)
		q("resulted", sc.ResultAt)
		q("preprocessing", sc.Preprocessing)
		q("diagnosis", sc.Diagnosis)
		q("birthdate", sc.Birthdate)
		q("sex", sc.Sex)
		q("race", sc.Race)
	default:
		fmt.Fprintf(&b, " seq=%d fields=%d len=%d", r.Seq(), len(r.AppendFields(nil)), len(r.Data))
	}
	return b.String()
}

// describeItem describes a decoder item and its error in one line.
func describeItem(it Item, err error) string {
	var s string
	switch it.Kind {
	case 0:
	case KindFrame:
		f := it.Frame
		end := "ETB"
		if f.Final {
			end = "ETX"
		}
		s = fmt.Sprintf("@%d frame %d %s checksum=%02X sum=%02X len=%d", it.Offset, f.Number, end, f.Checksum, f.Sum, len(f.Text))
		if f.Duplicate {
			s += " duplicate"
		}
	case KindRecord:
		s = fmt.Sprintf("@%d record %s", it.Offset, summarize(it.Record))
	default:
		s = fmt.Sprintf("@%d %s", it.Offset, it.Kind)
	}
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			s += " BAD ERROR TYPE"
		}
		if s != "" {
			s += " "
		}
		s += "error: " + err.Error()
	}
	return s
}

// decodeAll feeds data to a fresh decoder in chunks of the given sizes
// (cycled; nil means one chunk) and describes every item.
func decodeAll(d *Decoder, data []byte, chunks []int) []string {
	d.Reset()
	var out []string
	k := 0
	for len(data) > 0 {
		n := len(data)
		if len(chunks) > 0 {
			n = min(max(chunks[k%len(chunks)], 1), len(data))
			k++
		}
		d.Feed(data[:n])
		data = data[n:]
		for i := 0; ; i++ {
			it, err := d.Next()
			if err == ErrNeedMore {
				break
			}
			if i > 1<<20 {
				panic("decoder makes no progress")
			}
			out = append(out, describeItem(it, err))
		}
	}
	return out
}

func checkGolden(t *testing.T, name string, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from golden file (run go test -update to accept):\n%s", name, diffLines(string(want), got))
	}
}

func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\nwant %s\ngot  %s", i+1, a, b)
		}
	}
	return ""
}
