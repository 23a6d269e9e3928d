package segment

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"net/netip"
)

// key is one tuple: who talked to whom on which service. Addresses are in
// their 16-byte form (an IPv4 address as ::ffff:a.b.c.d, which no IPv6
// address takes once unmapped), so the key holds no pointer.
type key struct {
	client, server [16]byte
	port           uint16
	proto          uint16 // index into Collector.protoNames; 0 is unidentified
	transport      Transport
}

func makeKey(client, server netip.Addr, transport Transport, port, proto uint16) key {
	return key{client: client.As16(), server: server.As16(), port: port, proto: proto, transport: transport}
}

func (k *key) clientAddr() netip.Addr { return netip.AddrFrom16(k.client).Unmap() }
func (k *key) serverAddr() netip.Addr { return netip.AddrFrom16(k.server).Unmap() }

// index maps keys to entries: open addressing with linear probing over a
// power-of-two table kept at most half full, deletion by backward shift (no
// tombstones), so a full Collector churns without allocating. Keys are
// hashed with a random seed per table, so their addresses cannot be chosen
// to collide.
type index struct {
	slots []int32 // entry number + 1; 0 is empty
	seed  [2]uint64
}

// init empties the table, sized for capacity keys.
func (x *index) init(capacity int) {
	if x.seed[0] == 0 {
		x.seed = [2]uint64{rand.Uint64() | 1, rand.Uint64() | 1}
	}
	if size := tableSize(capacity); size != len(x.slots) {
		x.slots = make([]int32, size)
	} else {
		clear(x.slots)
	}
}

// tableSize is the power of two, 64 at least, that holds capacity keys at
// most half full.
func tableSize(capacity int) int {
	size := 64
	for size < 2*capacity {
		size *= 2
	}
	return size
}

// reserve makes a new, empty, table for capacity keys if the one there is
// smaller, and reports whether it did: called when the entries grow, never
// on the path of a steady-state Add.
func (x *index) reserve(capacity int) bool {
	size := tableSize(capacity)
	if size <= len(x.slots) {
		return false
	}
	x.slots = make([]int32, size)
	return true
}

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

func (x *index) hash(k *key) uint32 {
	c0 := binary.LittleEndian.Uint64(k.client[:8])
	c1 := binary.LittleEndian.Uint64(k.client[8:])
	s0 := binary.LittleEndian.Uint64(k.server[:8])
	s1 := binary.LittleEndian.Uint64(k.server[8:])
	t := uint64(k.port) | uint64(k.proto)<<16 | uint64(k.transport)<<32
	h := mix(c0^x.seed[0], c1^0xa0761d6478bd642f) ^ mix(s0^x.seed[1], s1^0xe7037ed1a0b428db) ^
		mix(t^x.seed[0], 0x8ebc6af09c88c6e3)
	return uint32(mix(h, 0x589965cc75374cc3))
}

// find returns the slot of k, and its entry number or -1 with the free
// slot where k goes.
func (x *index) find(entries []entry, k *key, h uint32) (slot int, i int32) {
	mask := len(x.slots) - 1
	for s := int(h) & mask; ; s = (s + 1) & mask {
		v := x.slots[s]
		if v == 0 {
			return s, -1
		}
		if e := &entries[v-1]; e.hash == h && e.key == *k {
			return s, v - 1
		}
	}
}

func (x *index) set(slot int, i int32) { x.slots[slot] = i + 1 }

// remove empties slot, shifting back the entries that probed past it.
func (x *index) remove(entries []entry, slot int) {
	mask := len(x.slots) - 1
	hole := slot
	for s := (slot + 1) & mask; ; s = (s + 1) & mask {
		v := x.slots[s]
		if v == 0 {
			break
		}
		home := int(entries[v-1].hash) & mask
		// The entry at s may move to the hole if its home is not in
		// (hole, s] cyclically.
		if (s-home)&mask >= (s-hole)&mask {
			x.slots[hole] = v
			hole = s
		}
	}
	x.slots[hole] = 0
}

// rehash refills the table from entries (after reserve made it anew).
func (x *index) rehash(entries []entry) {
	mask := len(x.slots) - 1
	for i := range entries {
		s := int(entries[i].hash) & mask
		for x.slots[s] != 0 {
			s = (s + 1) & mask
		}
		x.slots[s] = int32(i) + 1
	}
}
