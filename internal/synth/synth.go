// Package synth builds synthetic captures for benchmarks and tests: small
// TCP packets for decode speed, and bulk DICOM C-STORE associations for the
// whole pipeline. The DICOM bytes follow PS3.8 (upper layer PDUs) and PS3.7
// (command sets) so real decoders and tshark's dissector accept them.
package synth

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Start is the timestamp of the first synthetic packet.
var Start = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// Capture accumulates Ethernet/IPv4/TCP frames.
type Capture struct {
	Frames [][]byte
	Times  []time.Time
	now    time.Time
}

// NewCapture returns an empty capture starting at [Start].
func NewCapture() *Capture { return &Capture{now: Start} }

// Conn is one TCP connection of a Capture.
type Conn struct {
	c        *Capture
	cli, srv netip.AddrPort
	seq      [2]uint32
}

// TCP flags for Conn.Send.
const (
	FIN = 1 << iota
	SYN
	RST
	PSH
	ACK
)

// Dial adds a three-way handshake and returns the connection.
func (c *Capture) Dial(cli, srv netip.AddrPort) *Conn {
	k := &Conn{c: c, cli: cli, srv: srv, seq: [2]uint32{1000, 5000}}
	k.segment(0, SYN, nil)
	k.seq[0]++
	k.segment(1, SYN|ACK, nil)
	k.seq[1]++
	k.segment(0, ACK, nil)
	return k
}

// Write adds data sent by the client (dir 0) or server (dir 1), cut into
// segments of at most mss bytes.
func (k *Conn) Write(dir int, data []byte, mss int) {
	for len(data) > 0 {
		n := min(len(data), mss)
		k.segment(dir, PSH|ACK, data[:n])
		k.seq[dir] += uint32(n)
		data = data[n:]
	}
}

// Close adds FIN from both sides and the last ACK.
func (k *Conn) Close() {
	k.segment(0, FIN|ACK, nil)
	k.seq[0]++
	k.segment(1, FIN|ACK, nil)
	k.seq[1]++
	k.segment(0, ACK, nil)
}

func (k *Conn) segment(dir int, flags int, payload []byte) {
	src, dst := k.cli, k.srv
	if dir == 1 {
		src, dst = dst, src
	}
	k.c.now = k.c.now.Add(50 * time.Microsecond)
	k.c.Frames = append(k.c.Frames, Frame(src, dst, k.seq[dir], k.seq[1-dir], flags, payload))
	k.c.Times = append(k.c.Times, k.c.now)
}

// Frame returns one Ethernet/IPv4/TCP frame with correct lengths and
// checksums.
func Frame(src, dst netip.AddrPort, seq, ack uint32, flags int, payload []byte) []byte {
	eth := &layers.Ethernet{SrcMAC: mac(src), DstMAC: mac(dst), EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, Flags: layers.IPv4DontFragment,
		SrcIP: src.Addr().AsSlice(), DstIP: dst.Addr().AsSlice()}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(src.Port()), DstPort: layers.TCPPort(dst.Port()), Seq: seq, Ack: ack,
		FIN: flags&FIN != 0, SYN: flags&SYN != 0, RST: flags&RST != 0, PSH: flags&PSH != 0, ACK: flags&ACK != 0, Window: 65535}
	tcp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		eth, ip, tcp, gopacket.Payload(payload)); err != nil {
		panic(err)
	}
	return bytes.Clone(buf.Bytes())
}

func mac(a netip.AddrPort) []byte {
	b := a.Addr().As4()
	return []byte{0x02, 0, b[0], b[1], b[2], b[3]}
}

// Pcap returns the capture as a pcap file.
func (c *Capture) Pcap() []byte {
	var out bytes.Buffer
	w := pcapgo.NewWriterNanos(&out)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		panic(err)
	}
	for i, f := range c.Frames {
		ci := gopacket.CaptureInfo{Timestamp: c.Times[i], CaptureLength: len(f), Length: len(f)}
		if err := w.WritePacket(ci, f); err != nil {
			panic(err)
		}
	}
	return out.Bytes()
}

// Size returns the total bytes of all frames.
func (c *Capture) Size() int {
	n := 0
	for _, f := range c.Frames {
		n += len(f)
	}
	return n
}

// SmallTCP returns a capture of nflows established flows carrying perFlow
// 16-byte payloads each: the worst case for per-packet costs.
func SmallTCP(nflows, perFlow int) *Capture {
	c := NewCapture()
	srv := netip.MustParseAddrPort("10.20.0.1:8080")
	conns := make([]*Conn, nflows)
	for i := range conns {
		cli := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 10, byte(i >> 8), byte(i)}), uint16(40000+i%20000))
		conns[i] = c.Dial(cli, srv)
	}
	for range perFlow {
		for _, k := range conns {
			k.Write(0, []byte("0123456789abcdef"), 1460)
		}
	}
	return c
}

// DICOMStore returns a capture of n associations (implicit VR little
// endian negotiated and sent) from a modality to a PACS
// on port 104, each storing one CT object whose pixel data is objSize bytes,
// in P-DATA-TF PDUs of at most maxPDU bytes over 1460-byte segments.
func DICOMStore(n, objSize, maxPDU int) *Capture {
	c := NewCapture()
	pacs := netip.MustParseAddrPort("10.30.0.10:104")
	for i := range n {
		cli := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 30, 1, byte(1 + i%200)}), uint16(50000+i))
		k := c.Dial(cli, pacs)
		k.Write(0, AssociateRQ("CT_SCANNER_01", "PACS", CTImageStorage, ImplicitVRLittleEndian), 1460)
		k.Write(1, AssociateAC("CT_SCANNER_01", "PACS", ImplicitVRLittleEndian), 1460)
		k.Write(0, PData(1, true, StoreRQ(uint16(i+1), CTImageStorage, instanceUID(i))), 1460)
		for _, pdu := range PDataFragments(1, CTDataset(i, objSize), maxPDU) {
			k.Write(0, pdu, 1460)
		}
		k.Write(1, PData(1, true, StoreRSP(uint16(i+1), CTImageStorage, instanceUID(i), 0x0000)), 1460)
		k.Write(0, []byte{0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0}, 1460) // A-RELEASE-RQ
		k.Write(1, []byte{0x06, 0, 0, 0, 0, 4, 0, 0, 0, 0}, 1460) // A-RELEASE-RP
		k.Close()
	}
	return c
}

// UIDs used by the synthetic traffic.
const (
	CTImageStorage         = "1.2.840.10008.5.1.4.1.1.2"
	ImplicitVRLittleEndian = "1.2.840.10008.1.2"
	ExplicitVRLittleEndian = "1.2.840.10008.1.2.1"
	appContext             = "1.2.840.10008.3.1.1.1"
	implClassUID           = "1.2.826.0.1.3680043.10.1234.1"
)

func instanceUID(i int) string {
	return "1.2.826.0.1.3680043.10.1234.2." + itoa(i+1)
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[n:])
		}
	}
}

func ae(s string) []byte {
	b := bytes.Repeat([]byte{' '}, 16)
	copy(b, s)
	return b
}

func item(typ byte, body []byte) []byte {
	b := []byte{typ, 0, 0, 0}
	binary.BigEndian.PutUint16(b[2:], uint16(len(body)))
	return append(b, body...)
}

func pdu(typ byte, body []byte) []byte {
	b := []byte{typ, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(b[2:], uint32(len(body)))
	return append(b, body...)
}

func userInfo() []byte {
	var ui []byte
	ui = append(ui, item(0x51, binary.BigEndian.AppendUint32(nil, 16384))...)
	ui = append(ui, item(0x52, []byte(implClassUID))...)
	ui = append(ui, item(0x55, []byte("MEDTAP_SYNTH"))...)
	return item(0x50, ui)
}

func assocHeader(calling, called string) []byte {
	b := []byte{0, 1, 0, 0}
	b = append(b, ae(called)...)
	b = append(b, ae(calling)...)
	return append(b, make([]byte, 32)...)
}

// AssociateRQ returns an A-ASSOCIATE-RQ PDU proposing one presentation
// context (ID 1) for abstract syntax as with transfer syntax ts.
func AssociateRQ(calling, called, as, ts string) []byte {
	b := assocHeader(calling, called)
	b = append(b, item(0x10, []byte(appContext))...)
	pc := []byte{1, 0, 0, 0}
	pc = append(pc, item(0x30, []byte(as))...)
	pc = append(pc, item(0x40, []byte(ts))...)
	b = append(b, item(0x20, pc)...)
	b = append(b, userInfo()...)
	return pdu(0x01, b)
}

// AssociateAC returns an A-ASSOCIATE-AC PDU accepting context 1 with ts.
func AssociateAC(calling, called, ts string) []byte {
	b := assocHeader(calling, called)
	b = append(b, item(0x10, []byte(appContext))...)
	pc := []byte{1, 0, 0, 0}
	pc = append(pc, item(0x40, []byte(ts))...)
	b = append(b, item(0x21, pc)...)
	b = append(b, userInfo()...)
	return pdu(0x02, b)
}

// PData returns a P-DATA-TF PDU with one last-fragment PDV.
func PData(pcID byte, command bool, data []byte) []byte {
	mch := byte(0x02)
	if command {
		mch |= 0x01
	}
	pdv := binary.BigEndian.AppendUint32(nil, uint32(len(data)+2))
	pdv = append(pdv, pcID, mch)
	pdv = append(pdv, data...)
	return pdu(0x04, pdv)
}

// PDataFragments splits a dataset into P-DATA-TF PDUs of at most maxPDU
// bytes, the last PDV flagged last.
func PDataFragments(pcID byte, data []byte, maxPDU int) [][]byte {
	var out [][]byte
	room := maxPDU - 6
	for len(data) > 0 {
		n := min(len(data), room)
		mch := byte(0)
		if n == len(data) {
			mch = 0x02
		}
		pdv := binary.BigEndian.AppendUint32(nil, uint32(n+2))
		pdv = append(pdv, pcID, mch)
		pdv = append(pdv, data[:n]...)
		out = append(out, pdu(0x04, pdv))
		data = data[n:]
	}
	return out
}

// element appends an implicit VR little endian element, padding odd values
// with pad.
func element(b []byte, group, elem uint16, val []byte, pad byte) []byte {
	if len(val)%2 == 1 {
		val = append(bytes.Clone(val), pad)
	}
	b = binary.LittleEndian.AppendUint16(b, group)
	b = binary.LittleEndian.AppendUint16(b, elem)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(val)))
	return append(b, val...)
}

func u16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }

func commandSet(elems []byte) []byte {
	b := element(nil, 0, 0, binary.LittleEndian.AppendUint32(nil, uint32(len(elems))), 0)
	return append(b, elems...)
}

// StoreRQ returns a C-STORE-RQ command set.
func StoreRQ(msgID uint16, sopClass, sopInstance string) []byte {
	var b []byte
	b = element(b, 0, 0x0002, []byte(sopClass), 0)
	b = element(b, 0, 0x0100, u16(0x0001), 0)
	b = element(b, 0, 0x0110, u16(msgID), 0)
	b = element(b, 0, 0x0700, u16(0), 0)
	b = element(b, 0, 0x0800, u16(0x0000), 0)
	b = element(b, 0, 0x1000, []byte(sopInstance), 0)
	return commandSet(b)
}

// StoreRSP returns a C-STORE-RSP command set with status.
func StoreRSP(msgID uint16, sopClass, sopInstance string, status uint16) []byte {
	var b []byte
	b = element(b, 0, 0x0002, []byte(sopClass), 0)
	b = element(b, 0, 0x0100, u16(0x8001), 0)
	b = element(b, 0, 0x0120, u16(msgID), 0)
	b = element(b, 0, 0x0800, u16(0x0101), 0)
	b = element(b, 0, 0x0900, u16(status), 0)
	b = element(b, 0, 0x1000, []byte(sopInstance), 0)
	return commandSet(b)
}

// CTDataset returns an implicit VR little endian CT dataset with
// pixelBytes bytes of pixel data.
func CTDataset(i, pixelBytes int) []byte {
	var b []byte
	b = element(b, 0x0008, 0x0016, []byte(CTImageStorage), 0)
	b = element(b, 0x0008, 0x0018, []byte(instanceUID(i)), 0)
	b = element(b, 0x0008, 0x0060, []byte("CT"), ' ')
	b = element(b, 0x0010, 0x0010, []byte("DOE^JANE"), ' ')
	b = element(b, 0x0010, 0x0020, []byte("PAT"+itoa(1000+i%50)), ' ')
	b = element(b, 0x0020, 0x000d, []byte("1.2.826.0.1.3680043.10.1234.3."+itoa(i/10)), 0)
	b = element(b, 0x0020, 0x000e, []byte("1.2.826.0.1.3680043.10.1234.4."+itoa(i)), 0)
	pixels := make([]byte, pixelBytes&^1)
	for j := range pixels {
		pixels[j] = byte(j * 7)
	}
	return element(b, 0x7fe0, 0x0010, pixels, 0)
}
