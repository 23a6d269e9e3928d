package hl7

import "time"

// Acknowledgement codes for MSA-1: original mode (AA, AE, AR) and enhanced
// mode commit acknowledgements (CA, CE, CR).
const (
	AA = "AA" // application accept
	AE = "AE" // application error
	AR = "AR" // application reject
	CA = "CA" // commit accept
	CE = "CE" // commit error
	CR = "CR" // commit reject
)

// AppendACK appends an acknowledgement of msg to dst: an MSH answering msg,
// MSA with code (AA, AE, AR, CA, CE or CR), msg's control ID (MSH-10) and
// text, and, for an error code with text, an ERR segment (HL7 2.5 layout
// with ERR-3 code 207 and ERR-8 text; before 2.5, ERR-1). Segments end in
// CR. The ACK's MSH swaps the sending and receiving application and
// facility, stamps the current time, uses message type ACK^<trigger>
// (^ACK from 2.4), reuses msg's control ID as its own MSH-10 and copies
// MSH-11 and MSH-12. An unparsed (zero) msg gives an ACK with empty fields.
func AppendACK(dst []byte, msg *Message, code, text string) []byte {
	return AppendACKAt(dst, msg, code, text, time.Now())
}

// AppendACKAt is AppendACK with a given timestamp for MSH-7.
func AppendACKAt(dst []byte, msg *Message, code, text string, t time.Time) []byte {
	d := msg.Delimiters()
	if d.Field == 0 {
		d = DefaultDelimiters
	}
	msh := msg.MSH()
	var b Builder
	b.Reset(dst, d)
	b.Segment("MSH")
	b.FieldRaw(msh.Field(5).Bytes())
	b.FieldRaw(msh.Field(6).Bytes())
	b.FieldRaw(msh.Field(3).Bytes())
	b.FieldRaw(msh.Field(4).Bytes())
	b.buf = append(b.buf, d.Field)
	b.buf = t.AppendFormat(b.buf, "20060102150405")
	b.Field("")
	b.Field("ACK")
	version := msh.Field(12).Comp(1).Bytes()
	if trigger := msh.Field(9).Comp(2).Bytes(); len(trigger) > 0 {
		b.CompRaw(trigger)
		if versionAtLeast(version, 4) {
			b.Comp("ACK")
		}
	}
	b.FieldRaw(msh.Field(10).Bytes())
	b.FieldRaw(msh.Field(11).Bytes())
	b.FieldRaw(msh.Field(12).Bytes())
	b.Segment("MSA")
	b.Field(code)
	b.FieldRaw(msh.Field(10).Bytes())
	if text != "" {
		b.Field(text)
	}
	if text != "" && code != AA && code != CA {
		b.Segment("ERR")
		if versionAtLeast(version, 5) || len(version) == 0 {
			b.Field("")
			b.Field("")
			b.Field("207")
			b.Comp("Application internal error")
			b.Comp("HL70357")
			b.Field("E")
			b.Field("")
			b.Field("")
			b.Field("")
			b.Field(text)
		} else {
			b.Field("")
			b.Comp("")
			b.Comp("")
			b.Comp("207")
			b.Sub("Application internal error")
			b.Sub("HL70357")
		}
	}
	return b.Bytes()
}

// versionAtLeast reports whether an HL7 version string "2.x[.y]" has minor
// version ≥ minor.
func versionAtLeast(v []byte, minor int) bool {
	if len(v) < 3 || v[0] != '2' || v[1] != '.' {
		return false
	}
	n := 0
	for _, c := range v[2:] {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
		if n > 1000 {
			break
		}
	}
	return n >= minor
}
