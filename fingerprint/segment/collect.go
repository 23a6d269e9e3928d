package segment

import (
	"math"
	"net/netip"
	"strings"
	"time"
)

// Defaults of the [Collector] limits.
const (
	// DefaultMaxTuples is the default cap on distinct tuples, at most
	// 6.5 MB of memory.
	DefaultMaxTuples = 1 << 16
	// DefaultMaxProtocols is the default cap on distinct protocol names.
	DefaultMaxProtocols = 256
	// MaxProtocolName is the longest protocol name kept; a longer one is
	// recorded as unidentified and counted in [Stats.ProtocolsDropped].
	MaxProtocolName = 64
)

// Flow is one observed flow, or an aggregate of flows between the same
// client and server on the same service.
type Flow struct {
	// Client opened the flow; Server accepted it. An IPv4-mapped IPv6
	// address counts as the IPv4 address, and a zone is ignored.
	Client, Server netip.Addr
	Transport      Transport
	Port           uint16 // the server's port
	// Protocol is the application protocol identified on the flow, by the
	// names of medtap's events ("dicom", "hl7", "astm"); "" when it was not
	// identified.
	Protocol string
	Count    uint64 // flows this record stands for; 0 counts as 1
	Bytes    uint64 // bytes of both directions
	// First and Last are when the flow (or the first and last of the
	// flows) was seen; either may be zero.
	First, Last time.Time
}

// Stats counts what a [Collector] took in and what its caps dropped.
type Stats struct {
	Flows        uint64 `json:"flows"`         // flows added (the sum of their counts)
	Tuples       int    `json:"tuples"`        // distinct tuples held now
	Evicted      uint64 `json:"evicted"`       // tuples evicted at MaxTuples
	EvictedFlows uint64 `json:"evicted_flows"` // flows the evicted tuples stood for
	// ProtocolsDropped counts flows recorded as unidentified because their
	// protocol name was too long or MaxProtocols names were held.
	ProtocolsDropped uint64 `json:"protocols_dropped"`
	Invalid          uint64 `json:"invalid"` // flows ignored: an address was not valid
}

// entry is the aggregate of one tuple, on one of two lists ordered by the
// time it was last added to.
type entry struct {
	key          key
	flows, bytes uint64
	first, last  int64 // Unix nanoseconds; 0 when not known
	prev, next   int32
	hash         uint32
	kept         bool // on the kept list rather than the probation list
}

// list is a doubly linked list of entries by index, -1 ending it.
type list struct{ head, tail int32 }

// A Collector aggregates flows for [Collector.Advice]. The zero value is
// ready to use. It is not safe for concurrent use.
//
// Memory is bounded by MaxTuples. A tuple is on probation while it stands
// for a single flow whose protocol was not identified (a scan, a refused
// connection); it is kept once it carries an identified protocol or more
// than one flow. At the cap the least recently added tuple on probation is
// evicted, or, when none is, the least recently added kept tuple: a scan of
// a million addresses evicts its own tuples, not the hospital's traffic.
type Collector struct {
	// MaxTuples caps the distinct (client, server, transport, port,
	// protocol) tuples held; 0 selects DefaultMaxTuples. Each takes at most
	// 104 bytes.
	MaxTuples int
	// MaxProtocols caps the distinct protocol names (at most 65535); 0
	// selects DefaultMaxProtocols.
	MaxProtocols int
	// Expected is the table of expected class pairs that decides which
	// flows are unusual; nil selects [DefaultExpectations].
	Expected []Expectation
	// Local lists address ranges that count as local besides the private,
	// shared, link-local and loopback ranges (a hospital that numbers its
	// network from public space lists it here).
	Local []netip.Prefix

	// The caps in force, read at the first Add and at Reset.
	maxTuples, maxProtocols int

	index      index
	entries    []entry // filled up to maxTuples, then reused in place
	probation  list
	kept       list
	protoIDs   map[string]uint16
	protoNames []string // [0] is "", unidentified
	stats      Stats
}

func (c *Collector) init() {
	c.maxTuples = c.MaxTuples
	if c.maxTuples <= 0 {
		c.maxTuples = DefaultMaxTuples
	}
	c.maxTuples = min(c.maxTuples, 1<<30)
	c.maxProtocols = c.MaxProtocols
	if c.maxProtocols <= 0 {
		c.maxProtocols = DefaultMaxProtocols
	}
	c.maxProtocols = min(c.maxProtocols, math.MaxUint16)
	if c.protoIDs == nil {
		c.protoIDs = make(map[string]uint16)
	}
	c.protoNames = append(c.protoNames[:0], "")
	c.probation = list{-1, -1}
	c.kept = list{-1, -1}
	c.entries = c.entries[:0]
	if cap(c.entries) > c.maxTuples {
		c.entries = nil
	}
	c.index.init(cap(c.entries))
}

// Reset forgets every flow and the counters, keeping the memory grown so
// far, and takes MaxTuples and MaxProtocols in again.
func (c *Collector) Reset() {
	clear(c.protoIDs)
	c.stats = Stats{}
	c.init()
}

// Add aggregates f. f is not retained. Add allocates nothing once the
// tuple is held, nor when it replaces an evicted one, except for the first
// flow of each protocol name.
func (c *Collector) Add(f *Flow) {
	if c.protoNames == nil {
		c.init()
	}
	client, server := normAddr(f.Client), normAddr(f.Server)
	if !client.IsValid() || !server.IsValid() {
		c.stats.Invalid++
		return
	}
	n := max(f.Count, 1)
	c.stats.Flows = addSat(c.stats.Flows, n)
	k := makeKey(client, server, f.Transport, f.Port, c.protoID(f.Protocol))
	h := c.index.hash(&k)
	first, last := unixNano(f.First), unixNano(f.Last)
	slot, i := c.index.find(c.entries, &k, h)
	if i >= 0 {
		e := &c.entries[i]
		e.flows = addSat(e.flows, n)
		e.bytes = addSat(e.bytes, f.Bytes)
		e.first = minTime(e.first, first)
		e.last = max(e.last, last)
		c.unlink(i)
		e.kept = true // seen again
		c.push(i)
		return
	}
	if len(c.entries) < c.maxTuples {
		i = int32(len(c.entries))
		if c.grow() {
			slot, _ = c.index.find(c.entries, &k, h)
		}
		c.entries = c.entries[:i+1]
	} else {
		i = c.probation.head
		if i < 0 {
			i = c.kept.head
		}
		c.unlink(i)
		old := &c.entries[i]
		oldSlot, _ := c.index.find(c.entries, &old.key, old.hash)
		c.index.remove(c.entries, oldSlot)
		c.stats.Evicted++
		c.stats.EvictedFlows = addSat(c.stats.EvictedFlows, old.flows)
		slot, _ = c.index.find(c.entries, &k, h) // the removal may have moved it
	}
	c.entries[i] = entry{key: k, flows: n, bytes: f.Bytes, first: first, last: last, hash: h,
		kept: k.proto != 0 || n > 1}
	c.index.set(slot, i)
	c.push(i)
}

// grow makes room for one more entry, doubling the entries up to
// maxTuples and the index with them; it reports whether the index was
// rebuilt.
func (c *Collector) grow() bool {
	if len(c.entries) < cap(c.entries) {
		return false
	}
	bigger := make([]entry, len(c.entries), min(max(2*cap(c.entries), 64), c.maxTuples))
	copy(bigger, c.entries)
	c.entries = bigger
	if !c.index.reserve(cap(c.entries)) {
		return false
	}
	c.index.rehash(c.entries)
	return true
}

// Stats returns the counters.
func (c *Collector) Stats() Stats {
	s := c.stats
	s.Tuples = len(c.entries)
	return s
}

// Len returns the number of distinct tuples held.
func (c *Collector) Len() int { return len(c.entries) }

func (c *Collector) protoID(name string) uint16 {
	if name == "" {
		return 0
	}
	if len(c.protoNames) <= 16 { // a few names: a scan beats hashing
		for id, p := range c.protoNames[1:] {
			if p == name {
				return uint16(id + 1)
			}
		}
	} else if id, ok := c.protoIDs[name]; ok {
		return id
	}
	if len(name) > MaxProtocolName || len(c.protoNames)-1 >= c.maxProtocols {
		c.stats.ProtocolsDropped++
		return 0
	}
	name = strings.Clone(name) // not the caller's memory
	id := uint16(len(c.protoNames))
	c.protoNames = append(c.protoNames, name)
	c.protoIDs[name] = id
	return id
}

func (c *Collector) listOf(e *entry) *list {
	if e.kept {
		return &c.kept
	}
	return &c.probation
}

// push appends entry i to the tail of its list.
func (c *Collector) push(i int32) {
	e := &c.entries[i]
	l := c.listOf(e)
	e.prev, e.next = l.tail, -1
	if l.tail >= 0 {
		c.entries[l.tail].next = i
	} else {
		l.head = i
	}
	l.tail = i
}

// unlink takes entry i off its list.
func (c *Collector) unlink(i int32) {
	e := &c.entries[i]
	l := c.listOf(e)
	if e.prev >= 0 {
		c.entries[e.prev].next = e.next
	} else {
		l.head = e.next
	}
	if e.next >= 0 {
		c.entries[e.next].prev = e.prev
	} else {
		l.tail = e.prev
	}
	e.prev, e.next = -1, -1
}

func normAddr(a netip.Addr) netip.Addr { return a.Unmap().WithZone("") }

func addSat(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint64
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// minTime is the earlier of two Unix times, 0 being unknown.
func minTime(a, b int64) int64 {
	if a == 0 || (b != 0 && b < a) {
		return b
	}
	return a
}

func timeOf(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns).UTC()
}
