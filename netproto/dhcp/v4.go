package dhcp

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
	"strconv"
)

// Sizes of the DHCPv4 message layout (RFC 2131 2).
const (
	headerLen  = 236 // op ... file
	optionsOff = 240 // after the magic cookie
	snameOff   = 44
	snameLen   = 64
	fileOff    = 108
	fileLen    = 128
	chaddrOff  = 28
	// MaxMessageLen is the longest message Parse and Parse6 accept: the
	// largest payload of a UDP datagram.
	MaxMessageLen = 65535 - 8
)

// magic is the cookie that starts the options field (RFC 2131 3).
var magic = [4]byte{99, 130, 83, 99}

// FlagBroadcast is the BOOTP flag a client sets when it cannot receive
// unicast replies before it has an address (RFC 2131 2).
const FlagBroadcast = 0x8000

// Overload values of option 52 (RFC 2132 9.3): which header fields carry
// options.
const (
	OverloadFile  = 1
	OverloadSName = 2
)

// span locates one option value: in the message, or in Message.joined when
// the option came in several instances that RFC 3396 concatenates.
type span struct{ off, n uint16 }

// Header holds the fixed fields of a DHCPv4 message and the two options
// that shape it, message type and overload. Its slices are views into the
// message.
type Header struct {
	Op    Op
	HType uint8 // hardware type: 1 for Ethernet
	HLen  uint8 // hardware address length: 6 for Ethernet
	Hops  uint8
	XID   uint32 // transaction ID
	Secs  uint16
	Flags uint16 // FlagBroadcast and reserved bits
	// CIAddr is the client's address when it has one; YIAddr the address
	// a server offers or assigns ("your" address, in OFFER and ACK);
	// SIAddr the next server in the boot process; GIAddr the relay
	// agent's.
	CIAddr, YIAddr, SIAddr, GIAddr netip.Addr
	// CHAddr is the client hardware address: the first HLen bytes of the
	// chaddr field.
	CHAddr []byte
	// SName and File are the server host name and boot file name fields
	// up to their first NUL; nil when option overload carries options in
	// them.
	SName, File []byte
	// Type is the DHCP message type (option 53), 0 for a BOOTP message
	// that has none.
	Type MessageType
	// Overload is option 52: OverloadFile, OverloadSName, both, or 0.
	Overload uint8
}

// Message is a DHCPv4 message (or a BOOTP message with the DHCP magic
// cookie): the fixed header decoded, and an index of its options.
//
// Its slices are views into the data given to [Message.Parse] (or into the
// Message's own buffer for options sent in several pieces); they are valid
// until the data changes or the next Parse. A Message is large (about 1
// KiB, for the index of all 256 option codes): reuse one rather than copy
// it. The zero value is ready for Parse; a Message reused for messages
// like those it has seen allocates nothing.
type Message struct {
	Header

	data   []byte
	found  [4]uint64 // codes present
	multi  [4]uint64 // codes present more than once, joined
	joined []byte
	at     [256]span // valid where found is set
}

func has(set *[4]uint64, c uint8) bool { return set[c>>6]&(1<<(c&63)) != 0 }
func mark(set *[4]uint64, c uint8)     { set[c>>6] |= 1 << (c & 63) }

// Parse decodes the DHCPv4 message in b: the BOOTP header, the magic
// cookie and the options, from the options field and then, as option
// overload (52) says, from the file and sname fields (RFC 2131 4.1). Pad
// options are skipped and End ends an area; an area may also end without
// End. An option sent in several pieces is the concatenation of their
// values (RFC 3396). Option 52 counts only in the options field, so the
// areas are read once each and no option can make the parser loop.
//
// Parse checks the lengths of every option and the values of those the
// accessors decode (53, 52, 50, 51, 54, 81). On an error (an [*Error]
// with the offset) only the header fields are meaningful: the message has
// no options.
func (m *Message) Parse(b []byte) error {
	m.Header = Header{}
	m.joined = m.joined[:0]
	err := m.parse(b)
	if err != nil {
		m.data, m.found, m.multi = nil, [4]uint64{}, [4]uint64{}
	}
	return err
}

func (m *Message) parse(b []byte) error {
	m.data, m.found, m.multi = nil, [4]uint64{}, [4]uint64{}
	if len(b) > MaxMessageLen {
		return errAt(MaxMessageLen, ErrTooLong)
	}
	if len(b) < optionsOff {
		return errAt(len(b), ErrShort)
	}
	m.data = b
	m.Op, m.HType, m.HLen, m.Hops = Op(b[0]), b[1], b[2], b[3]
	m.XID = binary.BigEndian.Uint32(b[4:])
	m.Secs = binary.BigEndian.Uint16(b[8:])
	m.Flags = binary.BigEndian.Uint16(b[10:])
	m.CIAddr = netip.AddrFrom4([4]byte(b[12:16]))
	m.YIAddr = netip.AddrFrom4([4]byte(b[16:20]))
	m.SIAddr = netip.AddrFrom4([4]byte(b[20:24]))
	m.GIAddr = netip.AddrFrom4([4]byte(b[24:28]))
	if m.Op != OpRequest && m.Op != OpReply {
		return errAt(0, ErrHeader)
	}
	if m.HLen > 16 {
		return errAt(2, ErrHeader)
	}
	m.CHAddr = b[chaddrOff : chaddrOff+int(m.HLen)]
	if [4]byte(b[headerLen:optionsOff]) != magic {
		return errAt(headerLen, ErrCookie)
	}
	if err := m.index(optionsOff, len(b)); err != nil {
		return err
	}
	if v, ok := m.first(OptOverload); ok {
		if len(v) != 1 || v[0] < 1 || v[0] > 3 {
			return optErr(int(m.at[OptOverload].off)-2, int(OptOverload), ErrOptionValue)
		}
		m.Overload = v[0]
	}
	if m.Overload&OverloadFile != 0 {
		if err := m.index(fileOff, fileOff+fileLen); err != nil {
			return err
		}
	} else {
		m.File = cstring(b[fileOff : fileOff+fileLen])
	}
	if m.Overload&OverloadSName != 0 {
		if err := m.index(snameOff, snameOff+snameLen); err != nil {
			return err
		}
	} else {
		m.SName = cstring(b[snameOff : snameOff+snameLen])
	}
	if m.multi != [4]uint64{} {
		m.join()
	}
	return m.check()
}

// index records the options of the area b[start:end].
func (m *Message) index(start, end int) error {
	b := m.data
	for i := start; i < end; {
		c := b[i]
		switch c {
		case byte(OptPad):
			i++
			continue
		case byte(OptEnd):
			return nil
		}
		if i+1 >= end {
			return optErr(i, int(c), ErrOptionLength)
		}
		n := int(b[i+1])
		if i+2+n > end {
			return optErr(i, int(c), ErrOptionLength)
		}
		if has(&m.found, c) {
			mark(&m.multi, c)
		} else {
			mark(&m.found, c)
			m.at[c] = span{uint16(i + 2), uint16(n)}
		}
		i += 2 + n
	}
	return nil
}

// join concatenates the values of options sent in several pieces into
// m.joined, which is grown once to hold them all (together they are
// shorter than the message), so earlier values stay valid.
func (m *Message) join() {
	if cap(m.joined) < len(m.data) {
		m.joined = make([]byte, 0, len(m.data))
	}
	for w := range m.multi {
		for set := m.multi[w]; set != 0; set &= set - 1 {
			c := OptionCode(w<<6 | bits.TrailingZeros64(set))
			start := len(m.joined)
			it := m.Options()
			for it.Next() {
				if o := it.Option(); o.Code == c {
					m.joined = append(m.joined, o.Data...)
				}
			}
			m.at[c] = span{uint16(start), uint16(len(m.joined) - start)}
		}
	}
}

// check validates the options the accessors decode.
func (m *Message) check() error {
	for _, c := range [...]struct {
		code OptionCode
		n    int
	}{{OptMessageType, 1}, {OptRequestedIP, 4}, {OptLeaseTime, 4}, {OptServerID, 4}} {
		if v, ok := m.Option(c.code); ok && len(v) != c.n {
			return optErr(m.offset(c.code), int(c.code), ErrOptionValue)
		}
	}
	if v, ok := m.Option(OptMessageType); ok {
		m.Type = MessageType(v[0])
	}
	if v, ok := m.Option(OptFQDN); ok {
		if len(v) < 3 {
			return optErr(m.offset(OptFQDN), int(OptFQDN), ErrOptionValue)
		}
		if FQDNFlags(v[0])&FQDNEncoded != 0 {
			if n := checkName(v[3:]); n >= 0 {
				off := m.offset(OptFQDN)
				if !has(&m.multi, byte(OptFQDN)) {
					off += 2 + 3 + n
				}
				return optErr(off, int(OptFQDN), ErrName)
			}
		}
	}
	return nil
}

// offset returns the offset of the first instance of option c.
func (m *Message) offset(c OptionCode) int {
	it := m.Options()
	for it.Next() {
		if o := it.Option(); o.Code == c {
			return int(o.Offset) - 2
		}
	}
	return -1
}

// first returns the value of the first instance of c, before joining.
func (m *Message) first(c OptionCode) ([]byte, bool) {
	if !has(&m.found, byte(c)) {
		return nil, false
	}
	s := m.at[c]
	return m.data[s.off : int(s.off)+int(s.n)], true
}

func cstring(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i:i]
		}
	}
	return b
}

// Option returns the value of option c and whether the message carries
// it. The value of an option sent in several pieces is their
// concatenation.
func (m *Message) Option(c OptionCode) ([]byte, bool) {
	if !has(&m.found, byte(c)) {
		return nil, false
	}
	s := m.at[c]
	src := m.data
	if has(&m.multi, byte(c)) {
		src = m.joined
	}
	return src[s.off : int(s.off)+int(s.n) : int(s.off)+int(s.n)], true
}

func (m *Message) value(c OptionCode) []byte {
	v, _ := m.Option(c)
	return v
}

// ClientMAC returns the client's Ethernet address from chaddr, when the
// hardware type is Ethernet (1) and the length 6.
func (m *Message) ClientMAC() (mac [6]byte, ok bool) {
	if m.HType != 1 || m.HLen != 6 {
		return mac, false
	}
	return [6]byte(m.CHAddr), true
}

// HostName returns option 12, the client's host name, or nil.
func (m *Message) HostName() []byte { return m.value(OptHostName) }

// VendorClass returns option 60, the vendor class identifier ("MSFT
// 5.0", "android-dhcp-13"), or nil.
func (m *Message) VendorClass() []byte { return m.value(OptVendorClass) }

// ParamList returns option 55, the parameter request list: the codes of
// the options the client asks for, one byte each, in its order. The order
// is characteristic of a client's DHCP implementation; see
// [Message.AppendParamList].
func (m *Message) ParamList() []byte { return m.value(OptParamList) }

// AppendParamList appends the parameter request list as the decimal codes
// joined by commas, the form Fingerbank and other DHCP fingerprint
// databases use ("1,3,6,15,31,33,43,44,46,47,119,121,249,252").
func (m *Message) AppendParamList(dst []byte) []byte {
	return AppendCodes(dst, m.ParamList())
}

// AppendCodes appends a list of one-byte option codes as decimal numbers
// joined by commas.
func AppendCodes(dst []byte, codes []byte) []byte {
	for i, c := range codes {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendUint(dst, uint64(c), 10)
	}
	return dst
}

// ClientID returns option 61, the client identifier (a type byte, 1 for
// an Ethernet address or 255 for an IAID and DUID (RFC 4361), then the
// identifier), or nil.
func (m *Message) ClientID() []byte { return m.value(OptClientID) }

// RequestedIP returns option 50, the address a client asks for, or the
// zero Addr.
func (m *Message) RequestedIP() netip.Addr { return m.addr(OptRequestedIP) }

// ServerID returns option 54, the server identifier (the address of the
// server a message comes from or is meant for), or the zero Addr.
func (m *Message) ServerID() netip.Addr { return m.addr(OptServerID) }

func (m *Message) addr(c OptionCode) netip.Addr {
	if v, ok := m.Option(c); ok && len(v) == 4 {
		return netip.AddrFrom4([4]byte(v))
	}
	return netip.Addr{}
}

// LeaseTime returns option 51, the lease time in seconds
// (0xffffffff: infinite), and whether the message carries it.
func (m *Message) LeaseTime() (seconds uint32, ok bool) {
	if v, ok := m.Option(OptLeaseTime); ok && len(v) == 4 {
		return binary.BigEndian.Uint32(v), true
	}
	return 0, false
}

// FQDN returns option 81, the client's fully qualified domain name
// (RFC 4702), and whether the message carries it.
func (m *Message) FQDN() (FQDN, bool) {
	v, ok := m.Option(OptFQDN)
	if !ok || len(v) < 3 {
		return FQDN{}, false
	}
	f := FQDN{Flags: FQDNFlags(v[0]), RCode1: v[1], RCode2: v[2], Name: v[3:]}
	f.wire = f.Flags&FQDNEncoded != 0
	return f, true
}

// Option is one option instance: its code and value, a view into the
// message, with the value's offset in the message.
type Option struct {
	Code   OptionCode
	Data   []byte
	Offset int64
}

// OptionIter walks the option instances of a message in wire order: those
// of the options field, then of the file and sname fields when option
// overload says they hold options.
//
//	it := m.Options()
//	for it.Next() {
//		o := it.Option()
//		...
//	}
//	if err := it.Err(); err != nil { ... }
//
// Pad and End are not yielded. Each piece of an option sent in several is
// yielded on its own.
type OptionIter struct {
	data       []byte
	areas      [3][2]uint16
	area, nare int
	i          int
	cur        Option
	err        error
}

// Options returns an iterator over the option instances of m. Over a
// message that Parse accepted it never fails.
func (m *Message) Options() OptionIter {
	it := OptionIter{data: m.data}
	if len(m.data) < optionsOff {
		return it
	}
	it.areas[0] = [2]uint16{optionsOff, uint16(len(m.data))}
	it.nare = 1
	if m.Overload&OverloadFile != 0 {
		it.areas[it.nare] = [2]uint16{fileOff, fileOff + fileLen}
		it.nare++
	}
	if m.Overload&OverloadSName != 0 {
		it.areas[it.nare] = [2]uint16{snameOff, snameOff + snameLen}
		it.nare++
	}
	it.i = optionsOff
	return it
}

// Next advances to the next option, which [OptionIter.Option] then
// returns. It returns false after the last option or on a malformed one
// (see Err).
func (it *OptionIter) Next() bool {
	it.cur = Option{}
	for it.err == nil && it.area < it.nare {
		end := int(it.areas[it.area][1])
		b := it.data
		i := it.i
		for i < end && b[i] == byte(OptPad) {
			i++
		}
		if i >= end || b[i] == byte(OptEnd) {
			it.area++
			if it.area < it.nare {
				it.i = int(it.areas[it.area][0])
			}
			continue
		}
		c := b[i]
		if i+1 >= end || i+2+int(b[i+1]) > end {
			it.err = optErr(i, int(c), ErrOptionLength)
			return false
		}
		n := int(b[i+1])
		it.cur = Option{Code: OptionCode(c), Data: b[i+2 : i+2+n : i+2+n], Offset: int64(i + 2)}
		it.i = i + 2 + n
		return true
	}
	return false
}

// Option returns the option Next advanced to.
func (it *OptionIter) Option() Option { return it.cur }

// Err returns the error that stopped the iteration, if any.
func (it *OptionIter) Err() error { return it.err }
