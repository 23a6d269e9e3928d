package nbns

import (
	"encoding/binary"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/internal/pcaptest"
	"github.com/medtap/medtap/netproto/dnsmsg"
)

// encode returns the first-level encoding of a NetBIOS name: name padded
// with spaces to 15 bytes (with NULs for "*"), then suffix.
func encode(name string, suffix byte) []byte {
	var raw [16]byte
	pad := byte(' ')
	if name == "*" {
		pad = 0
	}
	for i := range 15 {
		raw[i] = pad
		if i < len(name) {
			raw[i] = name[i]
		}
	}
	raw[15] = suffix
	out := []byte{32}
	for _, c := range raw {
		out = append(out, 'A'+c>>4, 'A'+c&0xF)
	}
	return out
}

// message builds a message: header, then parts written as they are.
func message(id uint16, flags Flags, counts [4]int, parts ...[]byte) []byte {
	b := make([]byte, 12)
	binary.BigEndian.PutUint16(b, id)
	binary.BigEndian.PutUint16(b[2:], uint16(flags))
	for i, c := range counts {
		binary.BigEndian.PutUint16(b[4+2*i:], uint16(c))
	}
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// name is an encoded name without scope: its label and the root.
func name(n string, suffix byte) []byte { return append(encode(n, suffix), 0) }

// rr is a record: owner, type, class IN, ttl and data.
func rr(owner []byte, t Type, ttl uint32, data []byte) []byte {
	return cat(owner, u16(uint16(t)), u16(1), u32(ttl), u16(uint16(len(data))), data)
}

// registration is a broadcast registration of a unique name, shaped like
// nmbd's: the question, then the NB record under a pointer to it.
func registration(n string, suffix byte, group bool) []byte {
	var nbf uint16
	if group {
		nbf = 0x8000
	}
	return message(0x6c1e, Flags(OpRegistration)<<11|FlagRecursionDesired|FlagBroadcast, [4]int{1, 0, 0, 1},
		name(n, suffix), u16(0x20), u16(1),
		rr([]byte{0xC0, 12}, TypeNB, 300000, cat(u16(nbf), []byte{10, 215, 0, 4})))
}

// nodeStatus is a Windows-like node status response with a MAC address.
func nodeStatus() []byte {
	table := []byte{4}
	for _, e := range []struct {
		n      string
		suffix byte
		flags  uint16
	}{{"WARD3-PC", 0x00, 0x0400 | 0x6000}, {"HOSPITAL", 0x00, 0x8400 | 0x6000}, {"WARD3-PC", 0x20, 0x0400 | 0x6000}, {"HOSPITAL", 0x1E, 0x8400 | 0x6000}} {
		var raw [16]byte
		copy(raw[:], e.n+strings.Repeat(" ", 15-len(e.n)))
		raw[15] = e.suffix
		table = append(table, raw[:]...)
		table = append(table, u16(e.flags)...)
	}
	stats := append([]byte{0x00, 0x1a, 0x4b, 0x12, 0x34, 0x56}, make([]byte, 40)...)
	return message(0x0102, FlagResponse|FlagAuthoritative, [4]int{0, 1, 0, 0},
		rr(name("*", 0), TypeNBSTAT, 0, cat(table, stats)))
}

// pcapUDP returns the UDP payloads of a capture in testdata.
func pcapUDP(t testing.TB, path string) [][]byte { return pcaptest.UDPPayloads(t, path) }

// summary renders every entry of msg, one per line.
func summary(msg []byte) string {
	var p Parser
	h, err := p.Start(msg)
	if err != nil {
		return "error " + err.Error() + "\n"
	}
	f := h.Flags
	var sb strings.Builder
	sb.WriteString("header id=" + strconv.Itoa(int(h.ID)) + " r=" + bit(f.Response()) + " opcode=" + f.Opcode().String() +
		" aa=" + bit(f.Authoritative()) + " rd=" + bit(f.RecursionDesired()) + " b=" + bit(f.Broadcast()) + " rcode=" + f.RCode().String() + "\n")
	for p.Next() {
		if p.Section() == dnsmsg.SectionQuestion {
			q := p.Question()
			sb.WriteString("question " + q.Name.String() + " " + q.Name.Suffix().String() + " " + q.Type.String() + "\n")
			continue
		}
		r := p.Resource()
		sb.WriteString(r.Section.String() + " " + r.Name.String() + " " + r.Type.String() + " ttl=" + strconv.Itoa(int(r.TTL)))
		switch r.Type {
		case TypeNB:
			nb := r.NB()
			for nb.Next() {
				e := nb.Entry()
				sb.WriteString(" " + e.Addr.String() + "/" + e.Flags.NodeType().String())
				if e.Flags.Group() {
					sb.WriteString("/group")
				}
			}
			if err := nb.Err(); err != nil {
				sb.WriteString(" error " + err.Error())
			}
		case TypeNBSTAT:
			s, err := r.NodeStatus()
			if err != nil {
				sb.WriteString(" error " + err.Error())
				break
			}
			for t := s.Names(); t.Next(); {
				e := t.Entry()
				sb.WriteString("\n  " + e.Name.String() + " " + e.Name.Suffix().Meaning(e.Flags.Group()) + " " + e.Flags.NodeType().String())
				for _, fl := range []struct {
					on   bool
					name string
				}{{e.Flags.Group(), "group"}, {e.Flags.Active(), "active"}, {e.Flags.Permanent(), "permanent"},
					{e.Flags.Conflict(), "conflict"}, {e.Flags.Deregistering(), "deregistering"}} {
					if fl.on {
						sb.WriteString(" " + fl.name)
					}
				}
			}
			if mac, ok := s.UnitID(); ok {
				sb.WriteString("\n  mac " + net.HardwareAddr(mac[:]).String())
			}
		}
		sb.WriteString("\n")
	}
	if err := p.Err(); err != nil {
		sb.WriteString("error " + err.Error() + "\n")
	}
	return sb.String()
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// parseAll walks every entry of msg the way an adapter does: names into
// buf, addresses, node status tables. It returns a count of what it saw.
func parseAll(p *Parser, msg, buf []byte) int {
	if _, err := p.Start(msg); err != nil {
		return 0
	}
	n := 0
	for p.Next() {
		if p.Section() == 0 {
			q := p.Question()
			n += len(q.Name.AppendTo(buf[:0])) + len(q.Name.Suffix().Meaning(false))
			continue
		}
		r := p.Resource()
		n += len(r.Name.AppendTo(buf[:0]))
		switch r.Type {
		case TypeNB:
			for nb := r.NB(); nb.Next(); {
				if nb.Entry().Addr.Is4() {
					n++
				}
			}
		case TypeNBSTAT:
			s, _ := r.NodeStatus()
			for t := s.Names(); t.Next(); {
				e := t.Entry()
				n += len(e.Name.AppendBase(buf[:0])) + len(e.Name.Suffix().Meaning(e.Flags.Group()))
			}
			if mac, ok := s.UnitID(); ok {
				n += int(mac[5])
			}
		}
	}
	return n
}

func captureMessages(tb testing.TB) [][]byte {
	return append(pcapUDP(tb, "testdata/nbns.pcap"), nodeStatus(), registration("WARD3-PC", 0x20, false))
}
