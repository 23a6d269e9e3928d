package astm

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestParser(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "default delimiters, CR",
			in:   "H|\\^&|||Dev\rP|1\rO|1|S1||^^^GLU|R\rR|1|^^^GLU|5.5|mmol/L||N||F\rL|1|N\r",
			want: []string{
				`H header delims="|\\^&" sender="Dev" name="Dev"`,
				`P patient seq=1`,
				`O order seq=1 specimen="S1" test="^^^GLU" priority="R"`,
				`R result seq=1 code="GLU" value="5.5" units="mmol/L" flags="N" status="F"`,
				`L terminator seq=1 code="N" meaning=normal`,
			},
		},
		{
			name: "other delimiters, LF and CR LF, blank lines",
			in:   "H!~$%!!!X$Y\n\nR!1!$$$A~$$$B!7!\r\nQ!1!$S1!!ALL!!!!!!!!O\r\n",
			want: []string{
				`H header delims="!~$%" sender="X$Y" name="X"`,
				`R result seq=1 code="A" value="7"`,
				`Q query seq=1 start="$S1" test="ALL" status="O"`,
			},
		},
		{
			name: "no header: default delimiters",
			in:   "R|2|^^^K|4.1\rC|1|L|hello|G",
			want: []string{
				`R result seq=2 code="K" value="4.1"`,
				`C comment seq=1 source="L" text="hello" type="G"`,
			},
		},
		{
			name: "not records",
			in:   "\x1emtrsl|x\r1H|\\^&\rHX\rH|||||\rR-1\rz|1\rL|1\r",
			want: []string{
				"error: astm: not an ASTM record at offset 0",
				"error: astm: not an ASTM record at offset 9",
				"error: astm: bad delimiter definition at offset 16",
				"error: astm: bad delimiter definition at offset 19",
				"error: astm: not an ASTM record at offset 26",
				"error: astm: not an ASTM record at offset 30",
				`L terminator seq=1`,
			},
		},
		{
			name: "manufacturer, scientific and unknown records",
			in:   "M|1|HISTOGRAM|RBC\rS|1|x\rX|1\rL",
			want: []string{
				`M manufacturer seq=1 kind="HISTOGRAM" kind_name="HISTOGRAM" m4="RBC"`,
				`S scientific seq=1 method="x"`,
				"X X seq=1 fields=2 len=3",
				"L terminator seq=-1",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Parser
			p.Start([]byte(tt.in))
			var got []string
			for i := 0; ; i++ {
				r, err := p.Next()
				if err == io.EOF {
					break
				}
				if i > 100 {
					t.Fatal("no progress")
				}
				if err != nil {
					got = append(got, "error: "+err.Error())
					continue
				}
				got = append(got, summarize(r))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestFieldsAndComponents(t *testing.T) {
	r, err := ParseRecord([]byte("R|1|^^^GLU^Glucose\\^^^K|5.5"), DefaultDelimiters)
	if err != nil {
		t.Fatal(err)
	}
	d := r.Delims
	if got := string(r.Field(4)); got != "5.5" {
		t.Errorf("Field(4) = %q", got)
	}
	if r.Field(5) != nil || r.Field(0) != nil {
		t.Error("missing fields should be nil")
	}
	test := r.Field(3)
	if got := string(d.NthRepeat(test, 2)); got != "^^^K" {
		t.Errorf("NthRepeat(2) = %q", got)
	}
	if got := string(d.NthComponent(d.NthRepeat(test, 1), 5)); got != "Glucose" {
		t.Errorf("NthComponent(5) = %q", got)
	}
	if got := len(r.AppendFields(nil)); got != 4 {
		t.Errorf("AppendFields: %d fields", got)
	}
	if got := len(d.AppendRepeats(nil, test)); got != 2 {
		t.Errorf("AppendRepeats: %d", got)
	}
	if got := len(d.AppendComponents(nil, test)); got != 8 {
		t.Errorf("AppendComponents: %d", got)
	}
	if _, err := r.Header(); !errors.Is(err, ErrRecordType) {
		t.Errorf("Header of R: %v", err)
	}
}

func TestAppendUnescape(t *testing.T) {
	tests := []struct {
		in, want string
		errAt    int64 // -1: no error
	}{
		{"plain", "plain", -1},
		{"a&F&b&S&c&R&d&E&e", "a|b^c\\d&e", -1},
		{"PNG&R&20240628&R&x.PNG", "PNG\\20240628\\x.PNG", -1},
		{"&X41424a&!", "ABJ!", -1},
		{"&X4&&Xzz&", "&X4&&Xzz&", -1},
		{"&H&bold&N&", "&H&bold&N&", -1},
		{"open&F", "open&F", 4},
		{"&F&then&open", "|then&open", 7},
	}
	for _, tt := range tests {
		got, err := DefaultDelimiters.AppendUnescape([]byte("<"), []byte(tt.in))
		var e *Error
		okErr := tt.errAt < 0 && err == nil || tt.errAt >= 0 && errors.As(err, &e) && errors.Is(err, ErrEscape) && e.Offset == tt.errAt
		if string(got) != "<"+tt.want || !okErr {
			t.Errorf("AppendUnescape(%q) = %q, %v; want %q, error at %d", tt.in, got, err, tt.want, tt.errAt)
		}
	}
}

func TestRecordTypeString(t *testing.T) {
	for _, c := range "HPORCQMSL" {
		if rt := RecordType(c); !rt.Known() || len(rt.String()) < 4 {
			t.Errorf("%c: Known=%v String=%q", c, rt.Known(), rt.String())
		}
	}
	if RecordType('X').Known() || RecordType('X').String() != "X" {
		t.Error("X")
	}
	if DefaultDelimiters.String() != "|\\^&" {
		t.Error(DefaultDelimiters.String())
	}
}

func TestManufacturerAndScientific(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{
			name: "manufacturer with a record kind and vendor fields",
			in:   "M|1|HISTOGRAM^RBC|0^250|1&X2C&2",
			want: `M manufacturer seq=1 kind="HISTOGRAM^RBC" kind_name="HISTOGRAM" m4="0^250"`,
		},
		{
			name: "manufacturer kind after an empty component, spaces trimmed",
			in:   "M|2|^ QC STATUS ^x",
			want: `M manufacturer seq=2 kind="^ QC STATUS ^x" kind_name="QC STATUS"`,
		},
		{
			name: "manufacturer with only a sequence number",
			in:   "M|7",
			want: `M manufacturer seq=7`,
		},
		{
			name: "scientific, every field of E1394-97 section 14",
			in: "S|1|ENZ^kinetic|C311^SN42|R1^lot7|SI|QC1^in|SERUM^vein||TUBE|S-9|GLU|5.5|mmol/L|" +
				"20240101080000|20240101090000|CENTRIFUGE|E11.9|19700101|F|2106-3",
			want: `S scientific seq=1 method="ENZ^kinetic" instrument="C311^SN42" reagents="R1^lot7" units_of_measure="SI"` +
				` qc="QC1^in" specimen_descriptor="SERUM^vein" container="TUBE" specimen="S-9" analyte="GLU" result="5.5"` +
				` result_units="mmol/L" collected="20240101080000" resulted="20240101090000" preprocessing="CENTRIFUGE"` +
				` diagnosis="E11.9" birthdate="19700101" sex="F" race="2106-3"`,
		},
		{
			name: "scientific: the reserved S.9 is skipped, extra fields ignored",
			in:   "S|2|||||||RESERVED|||K|4.1|mmol/L|||||||M|extra|more",
			want: `S scientific seq=2 analyte="K" result="4.1" result_units="mmol/L" race="M"`,
		},
		{
			name: "scientific cut short",
			in:   "S|3|M|I",
			want: `S scientific seq=3 method="M" instrument="I"`,
		},
		{
			name: "terminator codes",
			in:   "L|1|T",
			want: `L terminator seq=1 code="T" meaning=sender-aborted`,
		},
		{
			name: "terminator code with spaces",
			in:   "L|1| Q ",
			want: `L terminator seq=1 code=" Q " meaning=error-in-last-request`,
		},
		{
			name: "unknown terminator code",
			in:   "L|1|NN",
			want: `L terminator seq=1 code="NN"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRecord([]byte(tt.in), DefaultDelimiters)
			if err != nil {
				t.Fatal(err)
			}
			if got := summarize(r); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	r, _ := ParseRecord([]byte("R|1"), DefaultDelimiters)
	if _, err := r.Manufacturer(); !errors.Is(err, ErrRecordType) {
		t.Errorf("Manufacturer of R: %v", err)
	}
	if _, err := r.Scientific(); !errors.Is(err, ErrRecordType) {
		t.Errorf("Scientific of R: %v", err)
	}
	// Every code of E1394 section 13.1.3 has a meaning.
	for code, want := range map[string]string{"N": "normal", "T": "sender-aborted", "R": "receiver-requested-abort",
		"E": "unknown-system-error", "Q": "error-in-last-request", "I": "no-information-available", "F": "last-request-processed",
		"": "", "X": "", "n": ""} {
		if got := (Terminator{Code: []byte(code)}).Meaning(); got != want {
			t.Errorf("Meaning(%q) = %q, want %q", code, got, want)
		}
	}
}
