// Command remap rewrites the addresses of a loopback capture so that each
// peer gets an address of its own, the way capture anonymisers do. It is
// used by examples/medscan/testdata/record.sh, which records each step of
// its fake hospital day on 127.0.0.1 into its own capture and maps it to the
// device that made it.
//
// Usage:
//
//	remap -server PORT=IP ... -client IP [-client PORT=IP ...] IN OUT
//
// Every packet must be IPv4 and TCP with one of its ports named by -server.
// That endpoint gets the server's IP; the other endpoint gets the -client IP
// given for that server port, or the default -client IP. For example, in a
// C-MOVE the PACS opens a connection of its own to the viewer, so
//
//	remap -server 11112=10.20.1.10 -server 11114=10.20.1.20 \
//	    -client 10.20.6.31 -client 11114=10.20.1.10 in.pcap out.pcap
//
// gives the workstation 10.20.6.31 for its connection to the PACS, and the
// PACS its own address 10.20.1.10 for its connection to the viewer.
//
// Only addresses change: ports, sequence numbers, payloads, lengths and
// timestamps are kept. The Ethernet addresses become locally administered
// MACs derived from the IPs (02:00:a:b:c:d for a.b.c.d), and the IPv4 and TCP
// checksums are recomputed (loopback captures often carry partial TCP
// checksums because the kernel never computes them). IN is pcap or pcapng
// with Ethernet link type (tcpdump -i lo); OUT is pcap with nanosecond
// timestamps.
package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// plan says which address each endpoint gets.
type plan struct {
	servers map[uint16]netip.Addr // server port -> server address
	clients map[uint16]netip.Addr // server port -> client address, overriding client
	client  netip.Addr            // default client address
}

// parsePortAddr parses "PORT=IP".
func parsePortAddr(s string) (uint16, netip.Addr, error) {
	p, a, ok := strings.Cut(s, "=")
	if !ok {
		return 0, netip.Addr{}, fmt.Errorf("%q: want PORT=IP", s)
	}
	port, err := strconv.ParseUint(p, 10, 16)
	if err != nil || port == 0 {
		return 0, netip.Addr{}, fmt.Errorf("%q: bad port", s)
	}
	addr, err := parseIPv4(a)
	if err != nil {
		return 0, netip.Addr{}, err
	}
	return uint16(port), addr, nil
}

func parseIPv4(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return netip.Addr{}, fmt.Errorf("%q: not an IPv4 address", s)
	}
	return a, nil
}

// mac is the locally administered unicast MAC remap gives to a.
func mac(a netip.Addr) [6]byte {
	b := a.As4()
	return [6]byte{0x02, 0x00, b[0], b[1], b[2], b[3]}
}

// rewrite copies the capture in r to w with the addresses of p. It returns
// the number of packets written.
func rewrite(r io.Reader, w io.Writer, p *plan) (int, error) {
	br := bufio.NewReader(r)
	magic, err := br.Peek(4)
	if err != nil {
		return 0, fmt.Errorf("reading the capture header: %w", err)
	}
	type source interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
		LinkType() layers.LinkType
	}
	var src source
	snaplen := uint32(262144)
	if binary.BigEndian.Uint32(magic) == 0x0a0d0d0a {
		ng, err := pcapgo.NewNgReader(br, pcapgo.DefaultNgReaderOptions)
		if err != nil {
			return 0, err
		}
		src = ng
	} else {
		pr, err := pcapgo.NewReader(br)
		if err != nil {
			return 0, err
		}
		src, snaplen = pr, pr.Snaplen()
	}
	if lt := src.LinkType(); lt != layers.LinkTypeEthernet {
		return 0, fmt.Errorf("link type %v, want Ethernet", lt)
	}
	pw := pcapgo.NewWriterNanos(w)
	if err := pw.WriteFileHeader(snaplen, layers.LinkTypeEthernet); err != nil {
		return 0, err
	}
	n := 0
	for {
		data, ci, err := src.ReadPacketData()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("packet %d: %w", n+1, err)
		}
		if err := p.packet(data, ci); err != nil {
			return n, fmt.Errorf("packet %d: %w", n+1, err)
		}
		if err := pw.WritePacket(ci, data); err != nil {
			return n, err
		}
		n++
	}
}

// packet rewrites one Ethernet frame in place.
func (p *plan) packet(data []byte, ci gopacket.CaptureInfo) error {
	if ci.CaptureLength != ci.Length || len(data) != ci.CaptureLength {
		return fmt.Errorf("truncated to %d of %d bytes; capture with -s 0", ci.CaptureLength, ci.Length)
	}
	pkt := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.DecodeOptions{NoCopy: true, Lazy: true})
	ip, _ := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	tcp, _ := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
	if ip == nil || tcp == nil {
		return fmt.Errorf("not IPv4/TCP: %v", pkt)
	}
	if el := pkt.ErrorLayer(); el != nil {
		return fmt.Errorf("undecodable: %v", el.Error())
	}
	if ip.Flags&layers.IPv4MoreFragments != 0 || ip.FragOffset != 0 {
		return errors.New("IPv4 fragment")
	}
	const ethLen = 14
	ihl := int(ip.IHL) * 4
	total := int(ip.Length)
	if len(data) < ethLen+total || total < ihl+20 {
		return fmt.Errorf("IPv4 total length %d does not fit the %d-byte frame", total, len(data))
	}
	var srcIP, dstIP netip.Addr
	sp, dp := uint16(tcp.SrcPort), uint16(tcp.DstPort)
	if s, ok := p.servers[dp]; ok {
		dstIP, srcIP = s, p.clientFor(dp)
	} else if s, ok := p.servers[sp]; ok {
		srcIP, dstIP = s, p.clientFor(sp)
	} else {
		return fmt.Errorf("no -server for either port of %d -> %d", sp, dp)
	}

	sm, dm := mac(srcIP), mac(dstIP)
	copy(data[0:6], dm[:])
	copy(data[6:12], sm[:])
	iph := data[ethLen : ethLen+ihl]
	s4, d4 := srcIP.As4(), dstIP.As4()
	copy(iph[12:16], s4[:])
	copy(iph[16:20], d4[:])
	iph[10], iph[11] = 0, 0
	binary.BigEndian.PutUint16(iph[10:], ^fold(sum(0, iph)))

	seg := data[ethLen+ihl : ethLen+total]
	seg[16], seg[17] = 0, 0
	binary.BigEndian.PutUint16(seg[16:], ^fold(sum(pseudo(s4, d4, len(seg)), seg)))
	return nil
}

func (p *plan) clientFor(serverPort uint16) netip.Addr {
	if c, ok := p.clients[serverPort]; ok {
		return c
	}
	return p.client
}

// pseudo is the sum of the TCP pseudo-header.
func pseudo(src, dst [4]byte, length int) uint32 {
	s := sum(0, src[:])
	s = sum(s, dst[:])
	return s + uint32(layers.IPProtocolTCP) + uint32(length)
}

// sum adds b as big-endian 16-bit words (RFC 1071) to s.
func sum(s uint32, b []byte) uint32 {
	for len(b) >= 2 {
		s += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	return s
}

func fold(s uint32) uint16 {
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return uint16(s)
}

// multi is a repeatable flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("remap", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var servers, clients multi
	fs.Var(&servers, "server", "`PORT=IP`: the endpoint on TCP port PORT gets address IP (repeatable)")
	fs.Var(&clients, "client", "`IP` for the other endpoint, or PORT=IP for the other endpoint of connections to server port PORT (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: remap -server PORT=IP ... -client IP [-client PORT=IP ...] IN OUT")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "remap: "+format+"\n", a...)
		fs.Usage()
		return 2
	}
	if fs.NArg() != 2 {
		return usage("want IN and OUT")
	}
	p := &plan{servers: map[uint16]netip.Addr{}, clients: map[uint16]netip.Addr{}}
	for _, s := range servers {
		port, a, err := parsePortAddr(s)
		if err != nil {
			return usage("-server %v", err)
		}
		p.servers[port] = a
	}
	for _, c := range clients {
		if !strings.Contains(c, "=") {
			a, err := parseIPv4(c)
			if err != nil {
				return usage("-client %v", err)
			}
			p.client = a
			continue
		}
		port, a, err := parsePortAddr(c)
		if err != nil {
			return usage("-client %v", err)
		}
		if _, ok := p.servers[port]; !ok {
			return usage("-client %s: no -server for port %d", c, port)
		}
		p.clients[port] = a
	}
	if len(p.servers) == 0 || !p.client.IsValid() {
		return usage("need at least one -server and a default -client")
	}
	in, err := os.Open(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "remap:", err)
		return 1
	}
	defer in.Close()
	out, err := os.Create(fs.Arg(1))
	if err != nil {
		fmt.Fprintln(stderr, "remap:", err)
		return 1
	}
	bw := bufio.NewWriter(out)
	n, err := rewrite(in, bw, p)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "remap: %s: %v\n", fs.Arg(0), err)
		os.Remove(fs.Arg(1))
		return 1
	}
	fmt.Fprintf(stderr, "remap: %s: %d packets -> %s\n", fs.Arg(0), n, fs.Arg(1))
	return 0
}

func main() { os.Exit(run(os.Args[1:], os.Stderr)) }
