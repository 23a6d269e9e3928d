package ntlmssp

import (
	"encoding/binary"
	"strconv"
	"time"
)

// AVID is the AvId of an AV pair (MS-NLMP 2.2.2.1).
type AVID uint16

// The AV pair IDs.
const (
	AVEOL             AVID = 0  // end of the list
	AVNbComputerName  AVID = 1  // the server's NetBIOS computer name
	AVNbDomainName    AVID = 2  // the server's NetBIOS domain name
	AVDNSComputerName AVID = 3  // the server's fully qualified DNS name
	AVDNSDomainName   AVID = 4  // the DNS name of the server's domain
	AVDNSTreeName     AVID = 5  // the DNS name of the server's forest
	AVFlags           AVID = 6  // a 32-bit flag field
	AVTimestamp       AVID = 7  // the server's clock, a FILETIME
	AVSingleHost      AVID = 8  // a Single_Host_Data structure
	AVTargetName      AVID = 9  // the SPN of the target server
	AVChannelBindings AVID = 10 // an MD5 hash of channel bindings
)

var avNames = [...]string{
	"MsvAvEOL", "MsvAvNbComputerName", "MsvAvNbDomainName", "MsvAvDnsComputerName",
	"MsvAvDnsDomainName", "MsvAvDnsTreeName", "MsvAvFlags", "MsvAvTimestamp",
	"MsvAvSingleHost", "MsvAvTargetName", "MsvChannelBindings",
}

// String returns the MS-NLMP name of the ID ("MsvAvNbComputerName"), or a
// form like "AVID(12)" for an unknown one.
func (id AVID) String() string {
	if int(id) < len(avNames) {
		return avNames[id]
	}
	return "AVID(" + strconv.Itoa(int(id)) + ")"
}

// AVPairs iterates over a list of AV pairs, in the style of bufio.Scanner:
//
//	it := m.AVPairs()
//	for it.Next() {
//		id, v := it.ID(), it.Value()
//	}
//	err := it.Err()
//
// The list ends at MsvAvEOL or at the end of the bytes. It allocates
// nothing except to return an error.
type AVPairs struct {
	b    []byte
	off  int
	id   AVID
	val  []byte
	err  error
	done bool
}

// AVPairs returns an iterator over the target information of a CHALLENGE.
func (m *Message) AVPairs() AVPairs {
	return AVPairs{b: m.TargetInfo}
}

// NewAVPairs returns an iterator over the AV pairs in b (a CHALLENGE's
// target information, or the copy of it in an NTLMv2 response).
func NewAVPairs(b []byte) AVPairs { return AVPairs{b: b} }

// Next advances to the next pair, reporting whether there is one.
func (it *AVPairs) Next() bool {
	if it.done {
		return false
	}
	if len(it.b)-it.off < 4 {
		it.done = true
		return false
	}
	id := AVID(binary.LittleEndian.Uint16(it.b[it.off:]))
	n := int(binary.LittleEndian.Uint16(it.b[it.off+2:]))
	if id == AVEOL {
		it.done = true
		return false
	}
	if n > len(it.b)-it.off-4 {
		it.done = true
		it.err = errAt(it.off, ErrAVPair)
		return false
	}
	it.id, it.val = id, it.b[it.off+4:it.off+4+n]
	it.off += 4 + n
	return true
}

// ID returns the current pair's ID.
func (it *AVPairs) ID() AVID { return it.id }

// Value returns the current pair's value, a view into the message.
func (it *AVPairs) Value() []byte { return it.val }

// Text returns the current pair's value as a UTF-16LE [String] (the names
// are; the flags and timestamp are not text).
func (it *AVPairs) Text() String { return String{Raw: it.val, Unicode: true} }

// Err returns the error that stopped the iteration, or nil. Its offset
// counts from the start of the target information.
func (it *AVPairs) Err() error { return it.err }

// Target is what the AV pairs of a CHALLENGE say about the server.
type Target struct {
	NetBIOSComputer, NetBIOSDomain  String
	DNSComputer, DNSDomain, DNSTree String
	TargetName                      String // the SPN (MsvAvTargetName), rarely in a CHALLENGE
	// Timestamp is the server's clock as a FILETIME (100 ns intervals
	// since 1601-01-01 UTC), 0 when absent; see [Target.Time].
	Timestamp uint64
	// Flags is MsvAvFlags, 0 when absent.
	Flags uint32
}

// Target returns the names and clock of a CHALLENGE's target information.
// Views are valid as long as the message's bytes are. It allocates nothing
// except to return an error.
func (m *Message) Target() (Target, error) {
	var t Target
	it := m.AVPairs()
	for it.Next() {
		v := it.Value()
		switch it.ID() {
		case AVNbComputerName:
			t.NetBIOSComputer = it.Text()
		case AVNbDomainName:
			t.NetBIOSDomain = it.Text()
		case AVDNSComputerName:
			t.DNSComputer = it.Text()
		case AVDNSDomainName:
			t.DNSDomain = it.Text()
		case AVDNSTreeName:
			t.DNSTree = it.Text()
		case AVTargetName:
			t.TargetName = it.Text()
		case AVTimestamp:
			if len(v) == 8 {
				t.Timestamp = binary.LittleEndian.Uint64(v)
			}
		case AVFlags:
			if len(v) == 4 {
				t.Flags = binary.LittleEndian.Uint32(v)
			}
		}
	}
	return t, it.Err()
}

// filetimeEpoch is 1970-01-01 as a FILETIME.
const filetimeEpoch = 116444736000000000

// Time returns Timestamp as a time in UTC, or the zero time when it is 0.
func (t *Target) Time() time.Time {
	if t.Timestamp == 0 {
		return time.Time{}
	}
	d := int64(t.Timestamp/10_000_000) - filetimeEpoch/10_000_000
	return time.Unix(d, int64(t.Timestamp%10_000_000)*100).UTC()
}
