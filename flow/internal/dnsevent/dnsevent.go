// Package dnsevent holds what the mDNS and LLMNR adapters share: the JSON
// of a DNS message and the identities it carries. Both Details keep the
// message itself (a view valid during the event) and render it on demand,
// so decoding allocates nothing and a message is parsed again only by the
// consumers that ask.
package dnsevent

import (
	"net/netip"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/netproto/dnsmsg"
)

// Limits on what one event writes; the rest is counted.
const (
	MaxRecords  = 256 // records written per message ("records_dropped" counts the others)
	MaxTXTPairs = 32  // key/value pairs written per TXT record ("txt_dropped")
	MaxSummary  = 32  // names or addresses per summary list
)

// Flavor says which protocol's header bits a message uses.
type Flavor uint8

// Flavors.
const (
	MDNS Flavor = iota
	LLMNR
)

// Counts says what Scan found in a message.
type Counts struct {
	Entries   int // entries that parsed: all of them, or those before the first malformed one
	Answers   int // records in the answer section
	Goodbyes  int // answers with a TTL of 0
	Authority int // records in the authority section
}

// Scan parses msg whole, reading the data of every record of a type the
// events show, and returns its header, what it counted and the error that
// stopped it.
func Scan(p *dnsmsg.Parser, msg []byte) (h dnsmsg.Header, n Counts, err error) {
	h, err = p.Start(msg)
	if err != nil {
		return h, n, err
	}
	for p.Next() {
		if p.Section() != dnsmsg.SectionQuestion {
			r := p.Resource()
			if err := check(&r); err != nil {
				return h, n, err
			}
			switch r.Section {
			case dnsmsg.SectionAnswer:
				n.Answers++
				if r.TTL == 0 {
					n.Goodbyes++
				}
			case dnsmsg.SectionAuthority:
				n.Authority++
			}
		}
		n.Entries++
	}
	return h, n, p.Err()
}

// Decoder is the flow decoder of both adapters: one event per datagram,
// whose kind Kind says, with the Detail Fill returns filled in (the
// adapter's own, reused). After the event Fill is called with nil, so
// that the Detail keeps no reference to the datagram.
type Decoder struct {
	Kind func(h dnsmsg.Header, n Counts, multicast bool) flow.Kind
	Fill func(msg []byte, h dnsmsg.Header, entries int) flow.Detail

	p dnsmsg.Parser
}

// Data implements flow.Decoder: a malformed message is reported as an
// error after the event of what parsed, with the offset in the datagram.
func (d *Decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	h, n, err := Scan(&d.p, data)
	if n.Entries > 0 {
		c.Emit(dir, d.Kind(h, n, multicast(c, dir)), d.Fill(data, h, n.Entries))
		d.Fill(nil, dnsmsg.Header{}, 0)
	}
	if err != nil {
		c.DecodeError(dir, err)
	}
}

// multicast reports whether the datagram in dir went to a multicast
// address.
func multicast(c *flow.Context, dir flow.Dir) bool {
	f := c.Flow()
	if f == nil {
		return false
	}
	dst := f.Server()
	if dir == flow.ServerToClient {
		dst = f.Client()
	}
	return dst.Addr().IsMulticast()
}

// Gap implements flow.Decoder: datagrams are whole, nothing to do.
func (d *Decoder) Gap(c *flow.Context, dir flow.Dir, n int) {}

// Close implements flow.Decoder.
func (d *Decoder) Close(c *flow.Context) {}

// check reads the data of r as its type says.
func check(r *dnsmsg.Resource) error {
	var err error
	switch r.Type {
	case dnsmsg.TypeA:
		_, err = r.A()
	case dnsmsg.TypeAAAA:
		_, err = r.AAAA()
	case dnsmsg.TypePTR, dnsmsg.TypeCNAME, dnsmsg.TypeNS, dnsmsg.TypeDNAME:
		_, err = r.Target()
	case dnsmsg.TypeSRV:
		_, err = r.SRV()
	case dnsmsg.TypeHINFO:
		_, _, err = r.HINFO()
	case dnsmsg.TypeNSEC:
		_, err = r.NSEC()
	case dnsmsg.TypeTXT:
		t := r.TXT()
		for t.Next() {
		}
		err = t.Err()
	}
	return err
}

// Message is the shared part of the Details: the message and how much of
// it parsed. The adapters set the exported fields; the rest is scratch
// space reused from event to event.
type Message struct {
	Msg     []byte
	Entries int
	Flavor  Flavor

	p    dnsmsg.Parser
	buf  []byte // names and addresses being written
	sums [4]list
}

// The summary lists.
const (
	sumHosts = iota
	sumAddrs
	sumServices
	sumInstances
)

var sumKeys = [4]string{"hosts", "addresses", "services", "instances"}

type span struct{ start, end int }

type list struct {
	n     int
	spans [MaxSummary]span
}

// add keeps buf[start:] in l unless it is there already (ASCII case
// ignored) or l is full; it returns buf without the bytes when they are
// not kept.
func (l *list) add(buf []byte, start int) []byte {
	v := buf[start:]
	for _, s := range l.spans[:l.n] {
		if equalFold(buf[s.start:s.end], v) {
			return buf[:start]
		}
	}
	if l.n == MaxSummary {
		return buf[:start]
	}
	l.spans[l.n] = span{start, len(buf)}
	l.n++
	return buf
}

func equalFold(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// summarize adds what name says of DNS-SD to the service and instance lists.
func (m *Message) summarize(n dnsmsg.Name) {
	s, ok := n.Service()
	if !ok {
		return
	}
	start := len(m.buf)
	m.buf = m.sums[sumServices].add(s.Type.AppendTo(m.buf), start)
	if s.Instance != nil {
		start = len(m.buf)
		m.buf = m.sums[sumInstances].add(n.AppendTo(m.buf), start)
	}
}

// AppendJSON writes the message's fields: its id and flags, its questions
// and records section by section, then the summary lists.
func (m *Message) AppendJSON(dst []byte) []byte {
	h, _ := m.p.Start(m.Msg)
	m.buf = m.buf[:0]
	for i := range m.sums {
		m.sums[i].n = 0
	}
	dst = flow.AppendInt(dst, "id", int64(h.ID))
	f := h.Flags
	if m.Flavor == LLMNR {
		if f.Conflict() {
			dst = flow.AppendBool(dst, "conflict", true)
		}
		if f.Tentative() {
			dst = flow.AppendBool(dst, "tentative", true)
		}
	}
	if f.Truncated() {
		dst = flow.AppendBool(dst, "truncated", true)
	}
	if op := f.Opcode(); op != dnsmsg.OpcodeQuery {
		dst = flow.AppendString(dst, "opcode", op.String())
	}
	if rc := f.RCode(); rc != dnsmsg.RCodeSuccess {
		dst = flow.AppendString(dst, "rcode", rc.String())
	}
	sec, n := dnsmsg.Section(255), 0 // the section being written, its entries so far
	for i := 0; i < m.Entries && m.p.Next(); i++ {
		if s := m.p.Section(); s != sec {
			if sec != 255 {
				dst = append(dst, ']')
			}
			sec, n = s, 0
			dst = append(flow.AppendKey(dst, sectionKey(s)), '[')
		}
		if n++; n > MaxRecords && sec != dnsmsg.SectionQuestion {
			continue
		}
		if n > 1 {
			dst = append(dst, ',')
		}
		if sec == dnsmsg.SectionQuestion {
			dst = m.appendQuestion(dst, m.p.Question())
			continue
		}
		r := m.p.Resource()
		dst = m.appendRecord(dst, &r)
	}
	if sec != 255 {
		dst = append(dst, ']')
	}
	if n := dropped(h, m.Entries); n > 0 {
		dst = flow.AppendInt(dst, "records_dropped", int64(n))
	}
	for i := range m.sums {
		l := &m.sums[i]
		if l.n == 0 {
			continue
		}
		dst = flow.AppendKey(dst, sumKeys[i])
		dst = append(dst, '[')
		for j, s := range l.spans[:l.n] {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = flow.AppendQuotedBytes(dst, m.buf[s.start:s.end])
		}
		dst = append(dst, ']')
	}
	return dst
}

// dropped counts the records of the first entries of a message with
// header h that AppendJSON leaves out: those past MaxRecords in a section.
func dropped(h dnsmsg.Header, entries int) int {
	n := 0
	entries -= int(h.Questions)
	for _, c := range [3]uint16{h.Answers, h.Authorities, h.Additionals} {
		k := min(int(c), max(entries, 0))
		entries -= k
		n += max(k-MaxRecords, 0)
	}
	return n
}

func sectionKey(s dnsmsg.Section) string {
	switch s {
	case dnsmsg.SectionQuestion:
		return "questions"
	case dnsmsg.SectionAnswer:
		return "answers"
	case dnsmsg.SectionAuthority:
		return "authority"
	}
	return "additional"
}

func (m *Message) appendName(dst []byte, key string, n dnsmsg.Name) []byte {
	start := len(m.buf)
	m.buf = n.AppendTo(m.buf)
	dst = flow.AppendBytes(dst, key, m.buf[start:])
	m.buf = m.buf[:start]
	return dst
}

func (m *Message) appendQuestion(dst []byte, q dnsmsg.Question) []byte {
	start := len(m.buf)
	m.buf = q.Name.AppendTo(m.buf)
	dst = append(dst, `{"name":`...)
	dst = flow.AppendQuotedBytes(dst, m.buf[start:])
	m.buf = m.buf[:start]
	dst = appendType(dst, q.Type)
	if q.Class != dnsmsg.ClassIN {
		dst = flow.AppendString(dst, "class", q.Class.String())
	}
	if q.UnicastResponse && m.Flavor == MDNS {
		dst = flow.AppendBool(dst, "unicast_response", true)
	}
	m.summarize(q.Name)
	return append(dst, '}')
}

func appendType(dst []byte, t dnsmsg.Type) []byte {
	dst = append(dst, `,"type":"`...)
	return append(t.AppendTo(dst), '"')
}

func (m *Message) appendRecord(dst []byte, r *dnsmsg.Resource) []byte {
	start := len(m.buf)
	m.buf = r.Name.AppendTo(m.buf)
	dst = append(dst, `{"name":`...)
	dst = flow.AppendQuotedBytes(dst, m.buf[start:])
	m.buf = m.buf[:start]
	dst = appendType(dst, r.Type)
	if r.Class != dnsmsg.ClassIN && r.Type != dnsmsg.TypeOPT {
		dst = flow.AppendString(dst, "class", r.Class.String())
	}
	dst = flow.AppendInt(dst, "ttl", int64(r.TTL))
	if r.CacheFlush && m.Flavor == MDNS {
		dst = flow.AppendBool(dst, "cache_flush", true)
	}
	m.summarize(r.Name)
	switch r.Type {
	case dnsmsg.TypeA, dnsmsg.TypeAAAA:
		var a netip.Addr
		if r.Type == dnsmsg.TypeA {
			a, _ = r.A()
		} else {
			a, _ = r.AAAA()
		}
		dst = append(dst, `,"addr":"`...)
		dst = append(a.AppendTo(dst), '"')
		start := len(m.buf)
		m.buf = m.sums[sumHosts].add(r.Name.AppendTo(m.buf), start)
		start = len(m.buf)
		m.buf = m.sums[sumAddrs].add(a.AppendTo(m.buf), start)
	case dnsmsg.TypePTR, dnsmsg.TypeCNAME, dnsmsg.TypeNS, dnsmsg.TypeDNAME:
		n, _ := r.Target()
		dst = m.appendName(dst, "target", n)
		m.summarize(n)
	case dnsmsg.TypeSRV:
		s, _ := r.SRV()
		dst = m.appendName(dst, "target", s.Target)
		dst = flow.AppendInt(dst, "port", int64(s.Port))
		dst = flow.AppendInt(dst, "priority", int64(s.Priority))
		dst = flow.AppendInt(dst, "weight", int64(s.Weight))
	case dnsmsg.TypeTXT:
		dst = appendTXT(dst, r.TXT())
	case dnsmsg.TypeHINFO:
		cpu, os, _ := r.HINFO()
		dst = flow.AppendBytes(dst, "cpu", cpu)
		dst = flow.AppendBytes(dst, "os", os)
	case dnsmsg.TypeNSEC:
		n, _ := r.NSEC()
		dst = m.appendName(dst, "next", n.Next)
		dst = flow.AppendKey(dst, "types")
		dst = append(dst, '[')
		for ts, i := n.Types(), 0; ts.Next(); i++ {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '"')
			dst = append(ts.Type().AppendTo(dst), '"')
		}
		dst = append(dst, ']')
	default:
		dst = flow.AppendInt(dst, "rdlength", int64(len(r.Data)))
	}
	return append(dst, '}')
}

// appendTXT writes a TXT record's pairs as an object: "key":"value", or
// "key":true for a key without a value. Keys are compared without regard to
// case and only the first of a key is kept (RFC 6763 §6.4); strings
// without a key are skipped; the strings with a key past the first
// MaxTXTPairs kept are counted in "txt_dropped".
func appendTXT(dst []byte, t dnsmsg.TXT) []byte {
	dst = append(flow.AppendKey(dst, "txt"), '{')
	var keys [MaxTXTPairs][]byte
	n, skipped := 0, 0
next:
	for t.Next() {
		k, v, has := t.Pair()
		if len(k) == 0 {
			continue
		}
		if n == MaxTXTPairs {
			skipped++
			continue
		}
		for _, kept := range keys[:n] {
			if equalFold(kept, k) {
				continue next
			}
		}
		if n > 0 {
			dst = append(dst, ',')
		}
		keys[n] = k
		n++
		dst = append(flow.AppendQuotedBytes(dst, k), ':')
		if has {
			dst = flow.AppendQuotedBytes(dst, v)
		} else {
			dst = append(dst, "true"...)
		}
	}
	dst = append(dst, '}')
	if skipped > 0 {
		dst = flow.AppendInt(dst, "txt_dropped", int64(skipped))
	}
	return dst
}

// Identify yields the identities the message carries as the sender's own
// records: the owner name of every A and AAAA record ("host"), the HINFO
// CPU and operating system ("os") and the maker and model of TXT records
// ("vendor"), each once.
// Callers decide whether the message holds the sender's own records (a
// response or a probe, not a query's known answers); hostsOnly leaves the
// vendor strings out.
func (m *Message) Identify(buf []byte, hostsOnly bool, yield func(flow.Identity)) {
	m.p.Start(m.Msg)
	var seen list
	for i := 0; i < m.Entries && m.p.Next(); i++ {
		if m.p.Section() == dnsmsg.SectionQuestion {
			continue
		}
		r := m.p.Resource()
		kind := "host"
		start := len(buf)
		switch r.Type {
		case dnsmsg.TypeA, dnsmsg.TypeAAAA:
			buf = r.Name.AppendTo(buf)
		case dnsmsg.TypeHINFO:
			if hostsOnly {
				continue
			}
			cpu, os, _ := r.HINFO()
			buf = append(append(append(buf, os...), ' '), cpu...)
			kind = "os"
		case dnsmsg.TypeTXT:
			if hostsOnly {
				continue
			}
			buf, _ = r.TXT().AppendModel(buf)
			kind = "vendor"
		}
		if len(buf) == start {
			continue
		}
		// Hosts, systems and vendors share one list: a name is never two.
		if buf = seen.add(buf, start); len(buf) == start {
			continue // said already, or too many
		}
		yield(flow.Identity{Source: true, Kind: kind, Name: buf[start:]})
	}
}
