package dnsmsg

import (
	"encoding/binary"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/internal/pcaptest"
)

// builder writes messages for tests, compressing names against the
// suffixes it wrote before, as real responders do.
type builder struct {
	b      []byte
	counts [4]int
	names  map[string]int
	raw    bool // no compression
}

func newBuilder(id uint16, flags Flags) *builder {
	b := &builder{b: make([]byte, HeaderLen), names: map[string]int{}}
	binary.BigEndian.PutUint16(b.b, id)
	binary.BigEndian.PutUint16(b.b[2:], uint16(flags))
	return b
}

func (b *builder) u16(v uint16) *builder { b.b = binary.BigEndian.AppendUint16(b.b, v); return b }
func (b *builder) u32(v uint32) *builder { b.b = binary.BigEndian.AppendUint32(b.b, v); return b }

// name writes s ("a.b.local"; labels split at dots, no escapes).
func (b *builder) name(s string) *builder {
	s = strings.TrimSuffix(s, ".")
	for s != "" {
		if off, ok := b.names[strings.ToLower(s)]; ok && !b.raw {
			return b.u16(0xC000 | uint16(off))
		}
		if len(b.b) < 0x3FFF {
			b.names[strings.ToLower(s)] = len(b.b)
		}
		label, rest, _ := strings.Cut(s, ".")
		b.b = append(b.b, byte(len(label)))
		b.b = append(b.b, label...)
		s = rest
	}
	b.b = append(b.b, 0)
	return b
}

func (b *builder) question(name string, t Type, class uint16) *builder {
	b.counts[0]++
	return b.name(name).u16(uint16(t)).u16(class)
}

// rr writes a record of section s whose data data writes.
func (b *builder) rr(s Section, name string, t Type, class uint16, ttl uint32, data func(b *builder)) *builder {
	b.counts[s]++
	b.name(name).u16(uint16(t)).u16(class).u32(ttl)
	at := len(b.b)
	b.u16(0)
	if data != nil {
		data(b)
	}
	binary.BigEndian.PutUint16(b.b[at:], uint16(len(b.b)-at-2))
	return b
}

func (b *builder) bytes(p ...byte) *builder { b.b = append(b.b, p...); return b }

func (b *builder) strs(ss ...string) *builder {
	for _, s := range ss {
		b.b = append(b.b, byte(len(s)))
		b.b = append(b.b, s...)
	}
	return b
}

func (b *builder) msg() []byte {
	for i, c := range b.counts {
		binary.BigEndian.PutUint16(b.b[4+2*i:], uint16(c))
	}
	return b.b
}

// announcement is an mDNS announcement of a DICOM service and its host,
// shaped like avahi-daemon's.
func announcement() []byte {
	b := newBuilder(0, FlagResponse|FlagAuthoritative)
	b.rr(SectionAnswer, "CT Scanner._dicom._tcp.local", TypeTXT, 0x8001, 4500, func(b *builder) {
		b.strs("txtvers=1", "aet=CT_SCANNER", "modality=CT", "model=Somatom Go", "manufacturer=Siemens")
	})
	b.rr(SectionAnswer, "_services._dns-sd._udp.local", TypePTR, 1, 4500, func(b *builder) { b.name("_dicom._tcp.local") })
	b.rr(SectionAnswer, "_dicom._tcp.local", TypePTR, 1, 4500, func(b *builder) { b.name("CT Scanner._dicom._tcp.local") })
	b.rr(SectionAnswer, "CT Scanner._dicom._tcp.local", TypeSRV, 0x8001, 120, func(b *builder) {
		b.u16(0).u16(0).u16(104).name("mtnm-ct1.local")
	})
	b.rr(SectionAdditional, "mtnm-ct1.local", TypeA, 0x8001, 120, func(b *builder) { b.bytes(10, 215, 0, 2) })
	b.rr(SectionAdditional, "mtnm-ct1.local", TypeAAAA, 0x8001, 120, func(b *builder) {
		b.bytes(0xfd, 0x11, 0x02, 0x15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2)
	})
	b.rr(SectionAdditional, "mtnm-ct1.local", TypeHINFO, 0x8001, 120, func(b *builder) { b.strs("X86_64", "LINUX") })
	b.rr(SectionAdditional, "CT Scanner._dicom._tcp.local", TypeNSEC, 0x8001, 120, func(b *builder) {
		b.name("CT Scanner._dicom._tcp.local").bytes(0, 5, 0, 0, 0x80, 0, 0x40) // TXT, SRV
	})
	return b.msg()
}

// pcapUDP returns the UDP payloads of a capture in testdata.
func pcapUDP(t testing.TB, path string) [][]byte { return pcaptest.UDPPayloads(t, path) }

// summary renders every entry of msg, one per line, for golden tests.
func summary(msg []byte) string {
	var p Parser
	h, err := p.Start(msg)
	if err != nil {
		return "error " + err.Error()
	}
	var sb strings.Builder
	sb.WriteString("header id=" + itoa(int(h.ID)) + " qr=" + bit(h.Flags.Response()) + " opcode=" + h.Flags.Opcode().String() +
		" aa=" + bit(h.Flags.Authoritative()) + " tc=" + bit(h.Flags.Truncated()) + " rcode=" + h.Flags.RCode().String() + "\n")
	for p.Next() {
		if p.Section() == SectionQuestion {
			q := p.Question()
			sb.WriteString("question " + q.Name.String() + " " + q.Type.String() + " " + q.Class.String())
			if q.UnicastResponse {
				sb.WriteString(" QU")
			}
			sb.WriteString("\n")
			continue
		}
		r := p.Resource()
		sb.WriteString(r.Section.String() + " " + r.Name.String() + " " + r.Type.String() + " " + r.Class.String() + " ttl=" + itoa(int(r.TTL)))
		if r.CacheFlush {
			sb.WriteString(" flush")
		}
		sb.WriteString(" " + rdata(&r) + "\n")
	}
	if err := p.Err(); err != nil {
		sb.WriteString("error " + err.Error() + "\n")
	}
	return sb.String()
}

func rdata(r *Resource) string {
	switch r.Type {
	case TypeA:
		a, err := r.A()
		return orErr(a.String(), err)
	case TypeAAAA:
		a, err := r.AAAA()
		return orErr(a.String(), err)
	case TypePTR, TypeCNAME, TypeNS, TypeDNAME:
		n, err := r.Target()
		return orErr(n.String(), err)
	case TypeSRV:
		s, err := r.SRV()
		return orErr(itoa(int(s.Priority))+" "+itoa(int(s.Weight))+" "+itoa(int(s.Port))+" "+s.Target.String(), err)
	case TypeHINFO:
		c, o, err := r.HINFO()
		return orErr(`"`+string(c)+`" "`+string(o)+`"`, err)
	case TypeTXT:
		var parts []string
		t := r.TXT()
		for t.Next() {
			parts = append(parts, `"`+string(t.Bytes())+`"`)
		}
		return orErr(strings.Join(parts, " "), t.Err())
	case TypeNSEC:
		n, err := r.NSEC()
		if err != nil {
			return orErr("", err)
		}
		s := n.Next.String()
		for ts := n.Types(); ts.Next(); {
			s += " " + ts.Type().String()
		}
		return s
	}
	return "len=" + itoa(len(r.Data))
}

func orErr(s string, err error) string {
	if err != nil {
		return "error " + err.Error()
	}
	return s
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func itoa(i int) string { return strconv.Itoa(i) }

// parseAll walks every entry of msg the way an adapter does: names into
// buf, every typed record data, every TXT pair, DNS-SD structure. It
// returns the bytes of names written and the entries seen.
func parseAll(p *Parser, msg, buf []byte) (names, entries int) {
	if _, err := p.Start(msg); err != nil {
		return 0, 0
	}
	var sink netip.Addr
	for p.Next() {
		entries++
		if p.Section() == SectionQuestion {
			q := p.Question()
			names += len(q.Name.AppendTo(buf[:0]))
			continue
		}
		r := p.Resource()
		names += len(r.Name.AppendTo(buf[:0]))
		if s, ok := r.Name.Service(); ok {
			names += len(s.Instance) + len(s.Type.AppendTo(buf[:0]))
		}
		switch r.Type {
		case TypeA:
			sink, _ = r.A()
		case TypeAAAA:
			sink, _ = r.AAAA()
		case TypePTR:
			n, _ := r.Target()
			names += len(n.AppendTo(buf[:0]))
		case TypeSRV:
			s, _ := r.SRV()
			names += len(s.Target.AppendTo(buf[:0])) + int(s.Port)
		case TypeTXT:
			for t := r.TXT(); t.Next(); {
				k, v, _ := t.Pair()
				names += len(k) + len(v)
			}
			m, _ := r.TXT().AppendModel(buf[:0])
			names += len(m)
		case TypeHINFO:
			c, o, _ := r.HINFO()
			names += len(c) + len(o)
		case TypeNSEC:
			n, _ := r.NSEC()
			for ts := n.Types(); ts.Next(); {
				names++
			}
		}
	}
	if sink.IsValid() {
		names++
	}
	return names, entries
}
