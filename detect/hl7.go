package detect

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/hl7flow"
	"github.com/medtap/medtap/hl7"
)

func init() { register(func() Detector { return newHL7Detector() }) }

// hl7Detector raises the rules of HL7 v2 traffic: malformed messages and
// MLLP framing (hl7.malformed), payloads aimed at the applications behind
// an interface (hl7.suspicious-content), and results corrected by a sender
// that never corrects or reported for one order by two senders
// (hl7.result-tamper). Its state is three bounded tables; a message is
// scanned within a byte and segment budget.
type hl7Detector struct {
	// hl7.malformed
	badWindow time.Duration
	badMany   uint32
	bad       *Table[hl7Pair, hl7Bad]
	// hl7.suspicious-content
	maxScan     int // bytes of a message scanned for payloads
	maxSegments int
	maxField    int // bytes of a short field
	maxNumeric  int // bytes of a numeric or date OBX-5
	// hl7.result-tamper
	minMessages  uint32
	matchAddress bool
	senders      *Table[hl7Sender, hl7SenderStats]
	orders       *Table[hl7Order, hl7OrderSender]
}

const (
	ruleHL7Malformed  = "hl7.malformed"
	ruleHL7Suspicious = "hl7.suspicious-content"
	ruleHL7Tamper     = "hl7.result-tamper"
)

func newHL7Detector() *hl7Detector { return new(hl7Detector) }

func (*hl7Detector) Name() string { return "hl7" }

func (*hl7Detector) Protocols() []string { return []string{hl7flow.Name} }

func (*hl7Detector) Rules() []Rule {
	return []Rule{{
		ID:       ruleHL7Malformed,
		Severity: Low,
		Doc: "HL7 v2 over MLLP that breaks the protocol: framing errors (bytes outside a frame, frames cut short or too large), " +
			"messages that do not parse, and messages without MSH-9, MSH-10, MSH-11 or a known MSH-12 version or acknowledgements " +
			"without MSA; per source and destination, medium when many come within a window",
		Params: []Param{
			{Name: "many", Default: 20, Doc: "malformed messages or frames from one source to one destination within the window that make the alert medium"},
			{Name: "window", Default: 600, Doc: "seconds over which they are counted"},
			{Name: "max-pairs", Default: 4096, Doc: "source and destination pairs counted at once"},
		},
	}, {
		ID:        ruleHL7Suspicious,
		Severity:  High,
		Technique: "T0866 Exploitation of Remote Services",
		Doc: "an HL7 v2 message carrying what exploits the applications behind an interface rather than clinical data " +
			"(the technique: a flaw of the receiving interface engine, EHR or LIS exploited through its HL7 service): script, " +
			"SQL or shell injection payloads (high), fields of short types (MSH header fields, PID identifiers, names and dates, " +
			"order numbers, OBX identifiers and numeric, coded or date values) longer than any real value (high), and control " +
			"characters other than the delimiters, CR, LF and tab in an ASCII, ISO 8859 or UTF-8 message (medium)",
		Params: []Param{
			{Name: "max-field-bytes", Default: 2048, Doc: "longest allowed short field, all its repetitions (a PID-3 of 25 identifiers is about 1000 bytes)"},
			{Name: "max-numeric-bytes", Default: 64, Doc: "longest allowed OBX-5 of type NM, SN, DT, TM, DTM or TS"},
			{Name: "max-scan-bytes", Default: 65536, Doc: "bytes of a message scanned for payloads and control characters"},
			{Name: "max-segments", Default: 256, Doc: "segments of a message whose fields are checked"},
		},
	}, {
		ID:        ruleHL7Tamper,
		Severity:  High,
		Technique: "T0856 Spoof Reporting Message",
		Doc: "an ORU result corrected, deleted or marked wrong (OBX-11 C, D or W, or OBR-25 C) by a sender (MSH-3, MSH-4 and source address) " +
			"that sent none in its earlier messages, or results for one order (OBR-3 filler, else OBR-2 placer order number) " +
			"sent to one destination by two senders; senders learn while baselines do and are kept in the baseline",
		Params: []Param{
			{Name: "min-messages", Default: 100, Doc: "ORU messages a sender must have sent without a correction before its first one raises"},
			{Name: "match-address", Default: 1, Doc: "1: senders with one MSH-3 and MSH-4 but two source addresses are two senders; 0: only MSH-3 and MSH-4 count (interface engines in a failover pair)"},
			{Name: "max-senders", Default: 4096, Doc: "senders remembered"},
			{Name: "max-orders", Default: 65536, Doc: "orders remembered with their sender"},
		},
	}}
}

func (d *hl7Detector) Configure(p Params) error {
	d.badMany = uint32(max(p.Int(ruleHL7Malformed, "many"), 1))
	d.badWindow = p.Duration(ruleHL7Malformed, "window")
	d.bad = NewTable[hl7Pair, hl7Bad](p.Int(ruleHL7Malformed, "max-pairs"))
	d.maxField = p.Int(ruleHL7Suspicious, "max-field-bytes")
	d.maxNumeric = p.Int(ruleHL7Suspicious, "max-numeric-bytes")
	d.maxScan = p.Int(ruleHL7Suspicious, "max-scan-bytes")
	d.maxSegments = p.Int(ruleHL7Suspicious, "max-segments")
	d.minMessages = uint32(max(p.Int(ruleHL7Tamper, "min-messages"), 0))
	d.matchAddress = p.Float(ruleHL7Tamper, "match-address") != 0
	d.senders = NewTable[hl7Sender, hl7SenderStats](p.Int(ruleHL7Tamper, "max-senders"))
	d.orders = NewTable[hl7Order, hl7OrderSender](p.Int(ruleHL7Tamper, "max-orders"))
	return nil
}

func (d *hl7Detector) Event(c *Context, e *flow.Event) {
	switch v := e.Detail.(type) {
	case *hl7flow.Message:
		if v.Message == nil {
			return
		}
		if !hl7Valid(v.Message) {
			d.malformed(c, e, "message", v.Message, nil)
		}
		d.content(c, e, v.Message)
		if hl7HasPrefix(v.MessageType, "ORU") {
			d.result(c, e, v)
		}
	case *hl7flow.Ack:
		if v.Message == nil {
			return
		}
		if !hl7Valid(v.Message) {
			d.malformed(c, e, "acknowledgement", v.Message, nil)
		}
		d.content(c, e, v.Message)
	case *flow.DecodeErrorDetail:
		d.malformed(c, e, "frame", nil, v.Err)
	}
}

func hl7HasPrefix(b []byte, p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }

// hl7Valid is [hl7.Message.Check] without its error, which it would
// allocate: MSH-9 to MSH-12 present, a version from 2.1 to 2.8.x, an MSA
// in an acknowledgement.
func hl7Valid(m *hl7.Message) bool {
	msh := m.MSH()
	for f := 9; f <= 12; f++ {
		if msh.Field(f).IsEmpty() {
			return false
		}
	}
	v := m.Version().Comp(1).Bytes()
	if len(v) < 3 || v[0] != '2' || v[1] != '.' || v[2] < '1' || v[2] > '8' {
		return false
	}
	if rest := v[3:]; len(rest) > 0 {
		if rest[0] != '.' || len(rest) == 1 {
			return false
		}
		for _, c := range rest[1:] {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	if m.IsAck() {
		if _, ok := m.Ack(); !ok {
			return false
		}
	}
	return true
}

// hl7.malformed

type hl7Pair struct{ src, dst netip.Addr }

type hl7Bad struct {
	start time.Time // of the window
	n     uint32    // malformed in the window
}

// malformed counts a malformed message m or a decoding error err.
func (d *hl7Detector) malformed(c *Context, e *flow.Event, what string, m *hl7.Message, err error) {
	if !c.Enabled(ruleHL7Malformed) {
		return
	}
	b, isNew := d.bad.Put(hl7Pair{e.Src.Addr(), e.Dst.Addr()})
	if isNew || c.Now().Sub(b.start) >= d.badWindow {
		*b = hl7Bad{start: c.Now()}
	}
	b.n++
	sev := Low
	if b.n >= d.badMany {
		sev = Medium
	}
	a := c.AlertSeverity(ruleHL7Malformed, sev, e.Key, netip.AddrPortFrom(e.Src.Addr(), 0), e.Dst)
	if a == nil {
		return
	}
	a.Summary = "malformed HL7 " + what
	if sev == Medium {
		a.Summary = strconv.FormatUint(uint64(b.n), 10) + " malformed HL7 messages or frames within " + d.badWindow.String()
	}
	a.Evidence = append(a.Evidence, Field{"what", what})
	if m != nil {
		err = m.Check()
	}
	if err != nil {
		a.Evidence = append(a.Evidence, Field{"error", err.Error()})
	}
	a.Evidence = append(a.Evidence, Field{"in_window", strconv.FormatUint(uint64(b.n), 10)})
}

// hl7.suspicious-content

// hl7Finding is what content found in a message.
type hl7Finding struct {
	sev     Severity
	kind    string // "injection", "oversized-field", "control-character"
	what    string // the payload pattern, the segment of a field, the character
	field   int    // of an oversized field
	typ     []byte // OBX-2 of an oversized OBX-5
	segment int    // index of the segment, -1 when unknown
	at      int    // byte offset in the message
	length  int    // of an oversized field
}

func (d *hl7Detector) content(c *Context, e *flow.Event, m *hl7.Message) {
	if !c.Enabled(ruleHL7Suspicious) {
		return
	}
	f, ok := d.scan(m)
	if !ok {
		return
	}
	a := c.AlertSeverity(ruleHL7Suspicious, f.sev, e.Key, netip.AddrPortFrom(e.Src.Addr(), 0), e.Dst)
	if a == nil {
		return
	}
	seg := f.segment
	if seg < 0 {
		seg = hl7SegmentAt(m, f.at)
	}
	where := string(m.SegmentAt(seg).Name())
	if f.kind == "oversized-field" {
		f.what += "-" + strconv.Itoa(f.field)
		if f.typ != nil {
			f.what += " (" + string(f.typ) + ")"
		}
	}
	switch f.kind {
	case "injection":
		a.Summary = "HL7 message carries an injection payload (" + f.what + ") in " + where
	case "oversized-field":
		a.Summary = "HL7 field " + f.what + " of " + strconv.Itoa(f.length) + " bytes"
	default:
		a.Summary = "HL7 message carries a control character (" + f.what + ") in " + where
	}
	a.Evidence = append(a.Evidence, Field{"kind", f.kind}, Field{"match", f.what}, Field{"segment", where})
	if f.length > 0 {
		a.Evidence = append(a.Evidence, Field{"bytes", strconv.Itoa(f.length)})
	}
	a.Evidence = append(a.Evidence, Field{"offset", strconv.Itoa(f.at)})
	if t := m.Type(); !t.IsEmpty() {
		a.Evidence = append(a.Evidence, Field{"message_type", string(t.Bytes()[:min(len(t.Bytes()), 64)])})
	}
	if id := m.ControlID(); !id.IsEmpty() {
		a.Evidence = append(a.Evidence, Field{"control_id", string(id.Bytes()[:min(len(id.Bytes()), 64)])})
	}
}

// hl7SegmentAt returns the index of the segment holding byte off.
func hl7SegmentAt(m *hl7.Message, off int) int {
	seg := 0
	for i := 1; i < m.NumSegments(); i++ {
		if m.Offset(i) > off {
			break
		}
		seg = i
	}
	return seg
}

// scan returns the most severe finding in m: payloads and control
// characters in its first maxScan bytes, then fields of short types too
// long.
func (d *hl7Detector) scan(m *hl7.Message) (hl7Finding, bool) {
	b := m.Bytes()
	if len(b) > d.maxScan {
		b = b[:max(d.maxScan, 0)]
	}
	plain := hl7PlainCharset(m)
	at, p, ctrl := hl7Payload(b, plain, m.Delimiters())
	if p != "" {
		return hl7Finding{sev: High, kind: "injection", what: p, segment: -1, at: at}, true
	}
	if f, ok := d.fields(m); ok {
		return f, true
	}
	if ctrl >= 0 {
		return hl7Finding{sev: Medium, kind: "control-character", what: hl7ControlName(b[ctrl]), segment: -1, at: ctrl}, true
	}
	return hl7Finding{}, false
}

var hl7ControlNames = [...]string{"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
	"DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US"}

func hl7ControlName(c byte) string {
	if int(c) < len(hl7ControlNames) {
		return hl7ControlNames[c]
	}
	return "DEL"
}

// hl7PlainCharset reports whether m's character set (MSH-18) is one where a
// control character is no part of text: ASCII, ISO 8859 or UTF-8. ISO 2022
// sets switch with ESC, SO and SI, and UTF-16 and UTF-32 text is full of
// zero bytes.
func hl7PlainCharset(m *hl7.Message) bool {
	cs := m.Charset()
	r := cs.Reps()
	for r.Next() {
		v := r.Value().Bytes()
		switch {
		case len(v) == 0, string(v) == "ASCII", string(v) == "UNICODE UTF-8", string(v) == "ISO IR6", string(v) == "ISO IR100",
			hl7HasPrefix(v, "8859/"):
		default:
			return false
		}
	}
	return true
}

// hl7Payloads are the injection payloads looked for, lower case; a
// payload ending in a space matches any run of spaces there. "$(" and a
// backtick count only before a shell command (hl7ShellWords).
var hl7Payloads = [...]string{
	"<script", "javascript:", "onerror=", "<iframe",
	"' or '1'='1", "' or 1=1", "\" or \"1\"=\"1", "union select", "union all select", "'; drop table", "; drop table",
	"; rm -rf", ";rm -rf", "/bin/sh", "/bin/bash", "cmd.exe /c", "powershell -e", "\\f\\sh", "\\f\\ sh", "\\f\\bash",
	"${jndi:",
}

var hl7ShellWords = [...]string{"sh", "bash", "id", "wget", "curl", "nc", "cat", "rm", "uname", "whoami", "ping", "python", "perl", "echo", "chmod"}

// hl7ByFirst lists the payloads by their first byte, either case; '$' and
// '`' are looked at apart.
var hl7ByFirst = func() (t [256][]string) {
	for _, p := range hl7Payloads {
		t[p[0]] = append(t[p[0]], p)
		if u := hl7Upper(p[0]); u != p[0] {
			t[u] = append(t[u], p)
		}
	}
	return t
}()

func hl7Lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func hl7Upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func hl7Letter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// hl7Payload returns the offset and pattern of the first payload in b ("",
// when there is none; a payload that starts with a letter starts a word),
// and when ctrl is set the offset of the first control character that is
// none of the delimiters, CR, LF or tab (-1 when there is none).
func hl7Payload(b []byte, ctrl bool, dl hl7.Delimiters) (at int, payload string, ctrlAt int) {
	ctrlAt = -1
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c < 0x20 || c == 0x7f:
			if ctrlAt < 0 && ctrl && c != '\r' && c != '\n' && c != '\t' && c != dl.Field && c != dl.Component &&
				c != dl.Repetition && c != dl.Escape && c != dl.Subcomponent && (dl.Truncation == 0 || c != dl.Truncation) {
				ctrlAt = i
			}
			continue
		case c == '$':
			if i+1 < len(b) && b[i+1] == '(' && hl7ShellWord(b[i+2:]) {
				return i, "$(", ctrlAt
			}
		case c == '`':
			if hl7ShellWord(b[i+1:]) {
				return i, "`", ctrlAt
			}
			continue
		}
		ps := hl7ByFirst[c]
		if len(ps) == 0 || (hl7Letter(c) && i > 0 && hl7Letter(b[i-1])) {
			continue
		}
		for _, p := range ps {
			if hl7Match(b[i:], p) {
				return i, p, ctrlAt
			}
		}
	}
	return 0, "", ctrlAt
}

// hl7Match reports whether b starts with p, ignoring case (p is lower
// case); a p ending in a letter must not be followed by one ("/bin/sh" is
// not "/bin/shop").
func hl7Match(b []byte, p string) bool {
	if len(b) < len(p) {
		return false
	}
	for j := 0; j < len(p); j++ {
		if hl7Lower(b[j]) != p[j] {
			return false
		}
	}
	last := p[len(p)-1]
	return len(b) == len(p) || !(last >= 'a' && last <= 'z') || !(hl7Lower(b[len(p)]) >= 'a' && hl7Lower(b[len(p)]) <= 'z')
}

// hl7ShellWord reports whether b starts, after spaces, with a shell
// command followed by a space, a closing parenthesis or a backtick.
func hl7ShellWord(b []byte) bool {
	i := 0
	for i < len(b) && i < 4 && b[i] == ' ' {
		i++
	}
	b = b[i:]
	for _, w := range hl7ShellWords {
		if hl7Match(b, w) && len(b) > len(w) {
			switch b[len(w)] {
			case ' ', ')', '`':
				return true
			}
		}
	}
	return false
}

// hl7ShortFields are fields of short types, by segment: identifiers,
// codes, names, dates and numbers, never free text.
var hl7ShortFields = [...]struct {
	seg    string
	fields []int
}{
	{"MSH", []int{3, 4, 5, 6, 7, 9, 10, 11, 12}},
	{"PID", []int{2, 3, 4, 5, 6, 7, 8, 9, 18, 19}},
	{"PV1", []int{2, 3, 7, 8, 9, 17, 19}},
	{"ORC", []int{1, 2, 3, 4, 5}},
	{"OBR", []int{2, 3, 4, 7, 25}},
	{"OBX", []int{1, 2, 3, 4, 6, 8, 11, 14}},
}

// hl7NumericTypes are the OBX-2 value types of a short OBX-5 whose limit is
// max-numeric-bytes, hl7CodedTypes those whose limit is max-field-bytes;
// others (TX, FT, ST, ED, RP, CF, ...) carry text or data of any length.
var hl7NumericTypes = [...]string{"NM", "SN", "DT", "TM", "DTM", "TS"}

var hl7CodedTypes = [...]string{"CE", "CWE", "CNE", "CX", "ID", "IS", "XPN", "XCN", "XAD"}

func hl7In(v []byte, set []string) bool {
	for _, s := range set {
		if string(v) == s {
			return true
		}
	}
	return false
}

// fields returns the first field of a short type that is longer than its
// limit.
func (d *hl7Detector) fields(m *hl7.Message) (hl7Finding, bool) {
	n := min(m.NumSegments(), d.maxSegments)
	for i := 0; i < n; i++ {
		s := m.SegmentAt(i)
		if len(s.Bytes()) <= d.maxNumeric {
			continue // nothing in it can be too long
		}
		name := s.Name()
		for k := range hl7ShortFields {
			sf := &hl7ShortFields[k]
			if string(name) != sf.seg {
				continue
			}
			for _, fi := range sf.fields {
				if l := len(s.Field(fi).Bytes()); l > d.maxField {
					return hl7Finding{sev: High, kind: "oversized-field", what: sf.seg, field: fi, segment: i, at: m.Offset(i), length: l}, true
				}
			}
			if sf.seg == "OBX" {
				typ := s.Field(2).Comp(1).Bytes()
				l := len(s.Field(5).Bytes())
				if (l > d.maxNumeric && hl7In(typ, hl7NumericTypes[:])) || (l > d.maxField && hl7In(typ, hl7CodedTypes[:])) {
					return hl7Finding{sev: High, kind: "oversized-field", what: "OBX", field: 5, typ: typ, segment: i, at: m.Offset(i), length: l}, true
				}
			}
		}
	}
	return hl7Finding{}, false
}

// hl7.result-tamper

// hl7Sender is a sender of results: the hash of its MSH-3 and MSH-4, and
// its address (zero when match-address is off).
type hl7Sender struct {
	app  uint64
	addr netip.Addr
}

// hl7SenderStats is what a sender sent: ORU messages, and those with a
// correction; its MSH-3 and MSH-4, cut, name it in baselines.
type hl7SenderStats struct {
	messages    uint32
	corrections uint32
	app, fac    [32]byte
	appN, facN  uint8
}

// hl7Order is an order number (its hash) as sent to one destination.
type hl7Order struct {
	id  uint64
	dst netip.Addr
}

type hl7OrderSender struct {
	sender hl7Sender
	app    [48]byte // MSH-3@MSH-4, cut
	appLen uint8
	addr   netip.Addr
}

// hl7Hash continues the FNV-1a hash h over b and a separator byte (0xff,
// which no part ends with), so that parts do not run into each other.
func hl7Hash(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	h ^= 0xff
	return h * 1099511628211
}

const hl7HashStart = 14695981039346656037

// hl7AppName writes MSH-3@MSH-4 (MSH-3 alone without a facility) into buf,
// cut to its length, and returns what it wrote.
func hl7AppName(buf []byte, m *hl7flow.Message) []byte {
	n := copy(buf, m.SendingApp)
	if len(m.SendingFacility) > 0 && n < len(buf) {
		buf[n] = '@'
		n++
		n += copy(buf[n:], m.SendingFacility)
	}
	return buf[:n]
}

// maxOrdersPerMessage bounds the OBR segments of one message looked at.
const maxOrdersPerMessage = 16

func (d *hl7Detector) result(c *Context, e *flow.Event, v *hl7flow.Message) {
	if !c.Enabled(ruleHL7Tamper) {
		return
	}
	m := v.Message
	snd := hl7Sender{app: hl7Hash(hl7Hash(hl7HashStart, v.SendingApp), v.SendingFacility)}
	if d.matchAddress {
		snd.addr = e.Src.Addr()
	}
	// Corrections, and the orders reported.
	status := byte(0)
	orders := 0
	n := min(m.NumSegments(), d.maxSegments)
	for i := 1; i < n; i++ {
		s := m.SegmentAt(i)
		switch name := s.Name(); {
		case string(name) == "OBX":
			if st := s.Field(11).Bytes(); status == 0 && len(st) == 1 && (st[0] == 'C' || st[0] == 'D' || st[0] == 'W') {
				status = st[0]
			}
		case string(name) == "OBR":
			if status == 0 && s.Field(25).Equal("C") { // the order's results corrected
				status = 'C'
			}
			if orders < maxOrdersPerMessage {
				orders++
				d.order(c, e, v, snd, s)
			}
		}
	}
	st, isNew := d.senders.Put(snd)
	if isNew {
		*st = hl7SenderStats{}
		st.appN = uint8(copy(st.app[:], v.SendingApp))
		st.facN = uint8(copy(st.fac[:], v.SendingFacility))
	}
	if status != 0 {
		first := st.corrections == 0 && st.messages >= d.minMessages
		st.corrections = min(st.corrections+1, 1<<31)
		if first && !c.Learning() {
			if a := c.Alert(ruleHL7Tamper, e.Key, netip.AddrPortFrom(e.Src.Addr(), 0), e.Dst); a != nil {
				var buf [64]byte
				app := string(hl7AppName(buf[:], v))
				a.Summary = "first corrected result (status " + string(status) + ") from " + app + " after " + strconv.FormatUint(uint64(st.messages), 10) + " results without one"
				a.Evidence = append(a.Evidence, Field{"sender", app}, Field{"result_status", string(status)},
					Field{"earlier_messages", strconv.FormatUint(uint64(st.messages), 10)}, Field{"control_id", string(v.ControlID)})
			}
		}
	}
	st.messages = min(st.messages+1, 1<<31)
}

// order records the sender of the results of OBR segment s, and raises
// when another sender reported the same order to the same destination.
func (d *hl7Detector) order(c *Context, e *flow.Event, v *hl7flow.Message, snd hl7Sender, s hl7.Segment) {
	f := s.Field(3) // filler order number
	kind := "filler"
	if f.Comp(1).IsEmpty() || f.Comp(1).IsNull() {
		f, kind = s.Field(2), "placer"
	}
	num := f.Comp(1).Bytes()
	if len(num) == 0 || f.Comp(1).IsNull() {
		return
	}
	id := hl7Hash(hl7Hash(hl7Hash(hl7HashStart, []byte(kind)), num), f.Comp(2).Bytes()) // number and namespace
	o, isNew := d.orders.Put(hl7Order{id: id, dst: e.Dst.Addr()})
	if isNew {
		o.sender = snd
		o.appLen = uint8(len(hl7AppName(o.app[:], v)))
		o.addr = e.Src.Addr()
		return
	}
	if o.sender == snd || c.Learning() {
		return
	}
	a := c.Alert(ruleHL7Tamper, e.Key, netip.AddrPortFrom(e.Src.Addr(), 0), e.Dst)
	if a == nil {
		return
	}
	var buf [64]byte
	app := string(hl7AppName(buf[:], v))
	prev := string(o.app[:o.appLen])
	a.Summary = "results for " + kind + " order " + string(num) + " from two senders: " + prev + " (" + o.addr.String() + ") and " + app
	a.Evidence = append(a.Evidence, Field{"order", string(num)}, Field{"order_number", kind}, Field{"sender", app},
		Field{"first_sender", prev}, Field{"first_sender_address", o.addr.String()}, Field{"control_id", string(v.ControlID)})
}

// The baseline of the hl7 detector: the result senders and what they
// sent, so that a sender that corrects results now and then is known as
// one in a later run.
type hl7Baseline struct {
	Senders []hl7BaselineSender `json:"senders"`
}

type hl7BaselineSender struct {
	// Key is the hash of the full MSH-3 and MSH-4 (App and Facility are
	// cut to 32 bytes), in hexadecimal.
	Key         string `json:"key"`
	App         string `json:"app"`
	Facility    string `json:"facility,omitempty"`
	Address     string `json:"address,omitempty"`
	Messages    uint32 `json:"messages"`
	Corrections uint32 `json:"corrections"`
}

// MarshalBaseline implements [Baseliner]: the senders of results, least
// recently seen first.
func (d *hl7Detector) MarshalBaseline() ([]byte, error) {
	var b hl7Baseline
	if d.senders != nil {
		d.senders.All(func(k hl7Sender, v *hl7SenderStats) bool {
			s := hl7BaselineSender{
				Key: strconv.FormatUint(k.app, 16), App: string(v.app[:v.appN]), Facility: string(v.fac[:v.facN]),
				Messages: v.messages, Corrections: v.corrections,
			}
			if k.addr.IsValid() {
				s.Address = k.addr.String()
			}
			b.Senders = append(b.Senders, s)
			return true
		})
	}
	slices.Reverse(b.Senders) // loaded in order, the most recent ends most recent
	if b.Senders == nil {
		b.Senders = []hl7BaselineSender{}
	}
	return json.Marshal(b)
}

// UnmarshalBaseline implements [Baseliner]. With match-address off, the
// addresses are dropped and the counts of one MSH-3 and MSH-4 added up.
func (d *hl7Detector) UnmarshalBaseline(data []byte) error {
	var b hl7Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return err
	}
	if d.senders == nil {
		return nil
	}
	for i, s := range b.Senders {
		key, err := strconv.ParseUint(s.Key, 16, 64)
		if err != nil {
			return fmt.Errorf("sender %d: key %q: %w", i, s.Key, err)
		}
		k := hl7Sender{app: key}
		if s.Address != "" && d.matchAddress {
			if k.addr, err = netip.ParseAddr(s.Address); err != nil {
				return fmt.Errorf("sender %d: %w", i, err)
			}
		}
		v, isNew := d.senders.Put(k)
		if isNew {
			*v = hl7SenderStats{}
			v.appN = uint8(copy(v.app[:], s.App))
			v.facN = uint8(copy(v.fac[:], s.Facility))
		}
		v.messages = min(v.messages+s.Messages, 1<<31)
		v.corrections = min(v.corrections+s.Corrections, 1<<31)
	}
	return nil
}
