package snmp

import (
	"net/netip"
	"strconv"
)

// ValueType is the BER tag of a variable binding's value.
type ValueType uint8

// The value types of SNMPv1 and SNMPv2 (RFC 2578, RFC 3416).
const (
	TypeInteger        ValueType = 0x02 // INTEGER, Integer32
	TypeOctetString    ValueType = 0x04
	TypeNull           ValueType = 0x05 // the value of a request's variable
	TypeOID            ValueType = 0x06
	TypeIPAddress      ValueType = 0x40
	TypeCounter32      ValueType = 0x41
	TypeGauge32        ValueType = 0x42 // also Unsigned32
	TypeTimeTicks      ValueType = 0x43
	TypeOpaque         ValueType = 0x44
	TypeNsapAddress    ValueType = 0x45
	TypeCounter64      ValueType = 0x46
	TypeUInteger32     ValueType = 0x47 // SNMPv2 drafts
	TypeNoSuchObject   ValueType = 0x80
	TypeNoSuchInstance ValueType = 0x81
	TypeEndOfMibView   ValueType = 0x82
)

func (t ValueType) String() string {
	switch t {
	case TypeInteger:
		return "INTEGER"
	case TypeOctetString:
		return "OCTET STRING"
	case TypeNull:
		return "NULL"
	case TypeOID:
		return "OBJECT IDENTIFIER"
	case TypeIPAddress:
		return "IpAddress"
	case TypeCounter32:
		return "Counter32"
	case TypeGauge32:
		return "Gauge32"
	case TypeTimeTicks:
		return "TimeTicks"
	case TypeOpaque:
		return "Opaque"
	case TypeNsapAddress:
		return "NsapAddress"
	case TypeCounter64:
		return "Counter64"
	case TypeUInteger32:
		return "UInteger32"
	case TypeNoSuchObject:
		return "noSuchObject"
	case TypeNoSuchInstance:
		return "noSuchInstance"
	case TypeEndOfMibView:
		return "endOfMibView"
	}
	return "ValueType(0x" + strconv.FormatUint(uint64(t), 16) + ")"
}

// Unsigned reports whether t holds an unsigned number (Counter32, Gauge32,
// TimeTicks, Counter64, UInteger32).
func (t ValueType) Unsigned() bool {
	switch t {
	case TypeCounter32, TypeGauge32, TypeTimeTicks, TypeCounter64, TypeUInteger32:
		return true
	}
	return false
}

// Exception reports whether t is one of SNMPv2's exceptions in a response
// (noSuchObject, noSuchInstance, endOfMibView).
func (t ValueType) Exception() bool { return t >= TypeNoSuchObject && t <= TypeEndOfMibView }

// Value is the value of a variable binding: its type and a view of its
// BER contents.
type Value struct {
	Type   ValueType
	Bytes  []byte
	Offset int // of the value's identifier octet, from the start of the message
}

// Int returns an INTEGER value (at most 8 bytes, two's complement).
func (v Value) Int() (int64, error) {
	if v.Type != TypeInteger {
		return 0, errAt(v.Offset, ErrTag)
	}
	return parseInt(v.Bytes, v.Offset)
}

func parseInt(b []byte, off int) (int64, error) {
	if len(b) == 0 || len(b) > 8 {
		return 0, errAt(off, ErrInteger)
	}
	x := int64(int8(b[0]))
	for _, c := range b[1:] {
		x = x<<8 | int64(c)
	}
	return x, nil
}

// Uint returns an unsigned value: Counter32, Gauge32, TimeTicks,
// UInteger32 (32 bits) or Counter64, encoded in at most one byte more than
// their size (the leading zero of a value with the top bit set).
func (v Value) Uint() (uint64, error) {
	if !v.Type.Unsigned() {
		return 0, errAt(v.Offset, ErrTag)
	}
	b := v.Bytes
	size := 4
	if v.Type == TypeCounter64 {
		size = 8
	}
	if len(b) > 1 && b[0] == 0 {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > size {
		return 0, errAt(v.Offset, ErrInteger)
	}
	var x uint64
	for _, c := range b {
		x = x<<8 | uint64(c)
	}
	return x, nil
}

// OID returns an OBJECT IDENTIFIER value.
func (v Value) OID() (OID, bool) { return OID{v.Bytes}, v.Type == TypeOID }

// IP returns an IpAddress value.
func (v Value) IP() (netip.Addr, bool) {
	if v.Type != TypeIPAddress || len(v.Bytes) != 4 {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4([4]byte(v.Bytes)), true
}

// AppendTo appends the value as text: numbers in decimal, an OCTET STRING
// or Opaque as its bytes, an OID dotted, an IpAddress dotted, NULL as
// nothing and an exception by its name. A number that does not decode
// appends its contents in hex.
func (v Value) AppendTo(dst []byte) []byte {
	switch {
	case v.Type == TypeInteger:
		if x, err := v.Int(); err == nil {
			return strconv.AppendInt(dst, x, 10)
		}
	case v.Type.Unsigned():
		if x, err := v.Uint(); err == nil {
			return strconv.AppendUint(dst, x, 10)
		}
	case v.Type == TypeOctetString || v.Type == TypeOpaque:
		return append(dst, v.Bytes...)
	case v.Type == TypeOID:
		return OID{v.Bytes}.AppendTo(dst)
	case v.Type == TypeIPAddress:
		if ip, ok := v.IP(); ok {
			return ip.AppendTo(dst)
		}
	case v.Type == TypeNull:
		return dst
	case v.Type.Exception():
		return append(dst, v.Type.String()...)
	}
	return appendHex(dst, v.Bytes)
}

func appendHex(dst, b []byte) []byte {
	const digits = "0123456789abcdef"
	for _, c := range b {
		dst = append(dst, digits[c>>4], digits[c&15])
	}
	return dst
}
