package bench

import (
	"encoding/base64"
	"strconv"
	"strings"
	"testing"

	lenaten "github.com/lenaten/hl7"

	"github.com/medtap/medtap/hl7"
)

// The HL7 benchmark messages: a 630-byte ADT^A01 in the shape of the HL7
// 2.5 specification's example, an ORU^R01 lab result with 12 OBX, and a
// 200 KB ORU^R01 carrying a PDF report as base64 in OBX-5 (ED data type).
var hl7ADT = "MSH|^~\\&|ADT1|GOOD HEALTH HOSPITAL|GHH LAB, INC.|GOOD HEALTH HOSPITAL|198808181126|SECURITY|ADT^A01^ADT_A01|MSG00001|P|2.5.1\r" +
	"EVN|A01|200708181123||\r" +
	"PID|1||PATID1234^5^M11^ADT1^MR^GOOD HEALTH HOSPITAL~123456789^^^USSSA^SS||EVERYMAN^ADAM^A^III||19610615|M||C|2222 HOME STREET^^GREENSBORO^NC^27401-1020|GL|(555) 555-2004|(555)555-2004||S||PATID12345001^2^M10^ADT1^AN^A|444333333|987654^NC\r" +
	"NK1|1|NUCLEAR^NELDA^W|SPO^SPOUSE||||NK^NEXT OF KIN\r" +
	"PV1|1|I|2000^2012^01||||004777^ATTEND^AARON^A|||SUR||||ADM|A0\r" +
	"OBX|1|NM|29463-7^Body weight^LN||62|kg|||||F\r" +
	"DG1|1||I10^Essential hypertension^I10|||A\r" +
	"AL1|1|DA|1605^PENICILLIN^L|MO|PRODUCES HIVES\r"

var hl7ORU = func() string {
	var sb strings.Builder
	sb.WriteString("MSH|^~\\&|GHH LAB|ELAB-3|GHH OE|BLDG4|200202150930||ORU^R01^ORU_R01|CNTRL-3456|P|2.5.1\r" +
		"PID|||555-44-4444^^^MRN&1.2.3&ISO||EVERYWOMAN^EVE^E^^^^L|JONES|19620320|F|||153 FERNWOOD DR.^^STATESVILLE^OH^35292||(206)3345232|(206)752-121||||AC555444444||67-A4335^OH^20030520\r" +
		"OBR|1|845439^GHH OE|1045813^GHH LAB|15545^GLUCOSE|||200202150730|||||||||555-55-5555^PRIMARY^PATRICIA P^^^^MD^^|||||||||F||||||444-44-4444^HIPPOCRATES^HOWARD H^^^^MD\r")
	for i := 1; i <= 12; i++ {
		sb.WriteString("OBX|" + strconv.Itoa(i) + "|SN|1554-5^GLUCOSE^POST 12H CFST:MCNC:PT:SER/PLAS:QN||^182|mg/dl|70_105|H|||F|||200202150730\r")
	}
	sb.WriteString("NTE|1||Fasting sample \\T\\ repeat advised\\.br\\call ward\r")
	return sb.String()
}()

var hl7ORU200K = func() string {
	pdf := make([]byte, 150<<10)
	x := uint32(1)
	for i := range pdf {
		x = x*1664525 + 1013904223
		pdf[i] = byte(x >> 24)
	}
	return "MSH|^~\\&|RIS|RAD|EHR|HOSP|20240101120000||ORU^R01^ORU_R01|RPT-0001|P|2.5.1\r" +
		"PID|1||4711^^^HOSP^MR||DOE^JANE||19700101|F\r" +
		"OBR|1||ACC123|71020^CHEST XRAY^CPT|||20240101110000\r" +
		"OBX|1|ED|PDF^Report^L||^AP^PDF^Base64^" + base64.StdEncoding.EncodeToString(pdf) + "||||||F\r" +
		"OBX|2|TX|IMP^Impression^L||No acute disease.||||||F\r"
}()

var hl7Msgs = []struct{ name, data string }{
	{"ADT_A01", hl7ADT},
	{"ORU_R01", hl7ORU},
	{"ORU_200KB", hl7ORU200K},
}

// The look-ups both parsers do after the full parse, in each one's syntax.
var (
	hl7Paths     = []hl7.Path{hl7.MustParsePath("MSH-9-1"), hl7.MustParsePath("MSH-10"), hl7.MustParsePath("PID-3-1"), hl7.MustParsePath("PID-5-2"), hl7.MustParsePath("OBX-5")}
	lenatenPaths = []string{"MSH.9.0", "MSH.10", "PID.3.0", "PID.5.1", "OBX.5"} // components count from 0
)

// hl7Parse is the work the issue names for BenchmarkHL7/medtap: the full
// parse, which indexes the message down to every field boundary (the offset
// of every field separator of every segment is recorded), then the five
// look-ups (components included) and the unescaping of one value into buf.
func hl7Parse(m *hl7.Message, data, buf []byte) int {
	if err := m.Parse(data); err != nil {
		panic(err)
	}
	return hl7Lookups(m, buf)
}

// hl7Walk is hl7Parse plus a visit of every field through the field
// cursor, as a program that reads whole messages does.
func hl7Walk(m *hl7.Message, data, buf []byte) int {
	n := hl7Parse(m, data, buf)
	for i := range m.NumSegments() {
		c := m.SegmentAt(i).Fields()
		for c.Next() {
			n += len(c.Value().Bytes())
		}
	}
	return n
}

// hl7Lookups looks up the five paths and unescapes the patient's given
// name into buf.
func hl7Lookups(m *hl7.Message, buf []byte) int {
	n := 0
	for _, p := range hl7Paths {
		n += len(m.Value(p).Bytes())
	}
	buf = m.Value(hl7Paths[3]).AppendUnescaped(buf[:0])
	return n + len(buf)
}

// hl7WalkLeaves is hl7Parse plus a visit of every leaf (each
// sub-component of each component of each repetition of each field) with
// its position, in one pass per segment.
func hl7WalkLeaves(m *hl7.Message, data, buf []byte) int {
	n := hl7Parse(m, data, buf)
	for i := range m.NumSegments() {
		c := m.SegmentAt(i).Leaves()
		for c.Next() {
			_, _, _, sub := c.Position()
			n += len(c.Value().Bytes()) + sub
		}
	}
	return n
}

// hl7Walks are medtap's three depths of work, named as in BenchmarkHL7.
var hl7Walks = []struct {
	name string
	walk func(m *hl7.Message, data, buf []byte) int
}{
	{"medtap", hl7Parse},
	{"medtap-fields", hl7Walk},
	{"medtap-leaves", hl7WalkLeaves},
}

// lenatenWalk is lenaten/hl7's full parse (it builds the whole tree) and
// the same five look-ups.
func lenatenWalk(data []byte) int {
	m := lenaten.NewMessage(data)
	if err := m.Parse(); err != nil {
		panic(err)
	}
	n := 0
	for _, p := range lenatenPaths {
		v, _ := m.Find(p)
		n += len(v)
	}
	return n
}

func BenchmarkHL7(b *testing.B) {
	for _, msg := range hl7Msgs {
		data := []byte(msg.data)
		for _, w := range hl7Walks {
			b.Run(w.name+"/"+msg.name, func(b *testing.B) {
				var m hl7.Message
				buf := make([]byte, 0, len(data))
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					w.walk(&m, data, buf)
				}
			})
		}
		b.Run("lenaten/"+msg.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				lenatenWalk(data)
			}
		})
	}
}

// TestHL7AgreesWithLenaten checks that both parsers see the same values at
// the benchmark paths, so the comparison is between equal work.
func TestHL7AgreesWithLenaten(t *testing.T) {
	for _, msg := range hl7Msgs {
		var m hl7.Message
		if err := m.Parse([]byte(msg.data)); err != nil {
			t.Fatal(err)
		}
		l := lenaten.NewMessage([]byte(msg.data))
		if err := l.Parse(); err != nil {
			t.Fatal(err)
		}
		for i, p := range hl7Paths {
			want, _ := l.Find(lenatenPaths[i])
			if got := m.Value(p).String(); got != want {
				t.Errorf("%s %s: medtap %.40q, lenaten %.40q", msg.name, p, got, want)
			}
		}
	}
	if len(hl7ADT) < 560 || len(hl7ADT) > 660 || len(hl7ORU200K) < 200_000 || len(hl7ORU200K) > 210_000 {
		t.Errorf("message sizes %d and %d", len(hl7ADT), len(hl7ORU200K))
	}
}
