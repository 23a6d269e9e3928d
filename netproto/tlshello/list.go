package tlshello

// Uint16List is a list of 16-bit values as the wire carries it, two bytes
// each, big-endian, in the peer's order: cipher suites, versions, groups,
// signature schemes. It is a view into the parsed bytes; nil means the list
// (or the extension that holds it) is absent.
type Uint16List []byte

// Len returns the number of values in l.
func (l Uint16List) Len() int { return len(l) / 2 }

// At returns value i, 0 <= i < l.Len().
func (l Uint16List) At(i int) uint16 { return uint16(l[2*i])<<8 | uint16(l[2*i+1]) }

// Iter returns an iterator over the values of l, GREASE values included
// (see [IsGREASE]).
func (l Uint16List) Iter() Uint16Iter { return Uint16Iter{rest: l} }

// Uint16Iter steps through a [Uint16List]:
//
//	it := hello.CipherSuites.Iter()
//	for it.Next() {
//		v := it.Value()
//	}
type Uint16Iter struct {
	rest []byte
	v    uint16
}

// Next advances to the next value and reports whether there is one.
func (it *Uint16Iter) Next() bool {
	if len(it.rest) < 2 {
		return false
	}
	it.v = uint16(it.rest[0])<<8 | uint16(it.rest[1])
	it.rest = it.rest[2:]
	return true
}

// Value returns the current value.
func (it *Uint16Iter) Value() uint16 { return it.v }

// Err returns nil: [ParseClientHello] and [ParseServerHello] check every
// list before they return it, so iterating cannot fail. It is there so that
// loops read like those over other medtap iterators.
func (it *Uint16Iter) Err() error { return nil }

// ProtocolList is an ALPN ProtocolNameList (RFC 7301 3.1) without its
// two-byte length: each protocol name is one length byte and the name. It is
// a view into the parsed bytes; nil means the extension is absent.
type ProtocolList []byte

// First returns the first protocol name, nil when l is empty. JA4 takes its
// first and last characters.
func (l ProtocolList) First() []byte {
	if len(l) == 0 || len(l) < 1+int(l[0]) {
		return nil
	}
	return l[1 : 1+l[0]]
}

// Iter returns an iterator over the protocol names of l.
func (l ProtocolList) Iter() ProtocolIter { return ProtocolIter{rest: l} }

// ProtocolIter steps through a [ProtocolList]:
//
//	it := hello.ALPN.Iter()
//	for it.Next() {
//		name := it.Bytes()
//	}
type ProtocolIter struct {
	rest, cur []byte
}

// Next advances to the next protocol name and reports whether there is one.
func (it *ProtocolIter) Next() bool {
	if len(it.rest) == 0 || len(it.rest) < 1+int(it.rest[0]) {
		return false
	}
	n := 1 + int(it.rest[0])
	it.cur, it.rest = it.rest[1:n], it.rest[n:]
	return true
}

// Bytes returns the current protocol name, a view into the hello.
func (it *ProtocolIter) Bytes() []byte { return it.cur }

// Err returns nil; see [Uint16Iter.Err].
func (it *ProtocolIter) Err() error { return nil }

// Extensions is a hello's extensions block without its two-byte length:
// each extension is a two-byte type, a two-byte length and its body. It is a
// view into the parsed bytes; nil means the hello has no extensions block
// (as SSL 3.0 and many TLS 1.0 hellos have none).
type Extensions []byte

// Iter returns an iterator over the extensions in wire order, GREASE and
// repeated types included.
func (e Extensions) Iter() ExtensionIter { return ExtensionIter{rest: e} }

// Len returns the number of extensions.
func (e Extensions) Len() int {
	n := 0
	for it := e.Iter(); it.Next(); {
		n++
	}
	return n
}

// Find returns the body of the first extension of type t, and whether there
// is one. The body of a present extension may be empty.
func (e Extensions) Find(t ExtensionType) ([]byte, bool) {
	it := e.Iter()
	for it.Next() {
		if it.Type() == t {
			return it.Body(), true
		}
	}
	return nil, false
}

// Has reports whether an extension of type t is present.
func (e Extensions) Has(t ExtensionType) bool {
	_, ok := e.Find(t)
	return ok
}

// ExtensionIter steps through [Extensions]:
//
//	it := hello.Extensions.Iter()
//	for it.Next() {
//		t, body := it.Type(), it.Body()
//	}
type ExtensionIter struct {
	rest, body []byte
	typ        ExtensionType
}

// Next advances to the next extension and reports whether there is one.
func (it *ExtensionIter) Next() bool {
	t, body, ok := extension(it.rest, 0)
	if !ok {
		return false
	}
	it.typ, it.body, it.rest = t, body, it.rest[4+len(body):]
	return true
}

// Type returns the current extension's type.
func (it *ExtensionIter) Type() ExtensionType { return it.typ }

// Body returns the current extension's body, a view into the hello.
func (it *ExtensionIter) Body() []byte { return it.body }

// Err returns nil; see [Uint16Iter.Err].
func (it *ExtensionIter) Err() error { return nil }
