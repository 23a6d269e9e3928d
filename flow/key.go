package flow

import (
	"hash/maphash"
	"net/netip"
	"strconv"
)

// Transport is the layer-4 protocol of a flow.
type Transport uint8

const (
	TCP Transport = 6
	UDP Transport = 17
	// Link is the pseudo-transport of protocols carried directly in
	// link-layer frames (LLDP, CDP), which [Protocol.EtherTypes] select.
	// Their events belong to no flow: Key and the address-ports are zero,
	// and Event.SrcMAC and DstMAC say who sent the frame to whom.
	Link Transport = 255
)

func (t Transport) String() string {
	switch t {
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	case Link:
		return "link"
	}
	return "ip" + strconv.Itoa(int(t))
}

// Dir is the direction of bytes within a flow.
type Dir uint8

const (
	// ClientToServer is the direction of the peer that opened the flow (sent
	// the SYN, or the first packet seen when the start was not captured).
	ClientToServer Dir = 0
	// ServerToClient is the other direction.
	ServerToClient Dir = 1
)

// Reverse returns the other direction.
func (d Dir) Reverse() Dir { return d ^ 1 }

func (d Dir) String() string {
	if d == ClientToServer {
		return "c2s"
	}
	return "s2c"
}

// Key identifies a bidirectional flow. It is small, comparable and usable as
// a map key. The two endpoints are stored in a canonical order (the lower
// address and port first), so both directions of a conversation share a Key.
type Key struct {
	A, B      netip.AddrPort
	Transport Transport
}

// MakeKey returns the canonical key for a packet from src to dst, and whether
// src is the Key's B endpoint (the packet travels B→A).
func MakeKey(t Transport, src, dst netip.AddrPort) (k Key, swapped bool) {
	if lessAddrPort(dst, src) {
		return Key{A: dst, B: src, Transport: t}, true
	}
	return Key{A: src, B: dst, Transport: t}, false
}

func lessAddrPort(x, y netip.AddrPort) bool {
	if c := x.Addr().Compare(y.Addr()); c != 0 {
		return c < 0
	}
	return x.Port() < y.Port()
}

// flowID is the table's internal key: the canonical endpoints packed into
// 40 bytes with no padding, so the map hashes one flat block of memory.
type flowID [5]uint64

// makeFlowID returns the canonical ID for a decoded packet and whether its
// source is the canonical second endpoint. Its order agrees with MakeKey.
func makeFlowID(p *Packet) (id flowID, swapped bool) {
	s0, s1, d0, d1 := p.srcW[0], p.srcW[1], p.dstW[0], p.dstW[1]
	sp, dp := p.SrcPort, p.DstPort
	if d0 < s0 || d0 == s0 && (d1 < s1 || d1 == s1 && dp < sp) {
		s0, s1, d0, d1, sp, dp = d0, d1, s0, s1, dp, sp
		swapped = true
	}
	return flowID{s0, s1, d0, d1, uint64(sp)<<32 | uint64(dp)<<16 | uint64(p.Protocol)<<8 | uint64(p.IPVersion)}, swapped
}

var keySeed = maphash.MakeSeed()

// Hash returns a hash of k that is the same for both directions, for
// sharding flows across engines. It is stable within one process only.
func (k Key) Hash() uint64 { return maphash.Comparable(keySeed, k) }

// String returns "tcp 10.0.0.1:104 <-> 10.0.0.2:50000".
func (k Key) String() string {
	return k.Transport.String() + " " + k.A.String() + " <-> " + k.B.String()
}
