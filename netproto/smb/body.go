package smb

import (
	"bytes"
	"encoding/binary"
)

// check returns an error unless m is a message of protocol p, command c
// (an SMB1 Command1 or SMB2 Command2 value) and the direction asked.
func (m *Message) check(p Protocol, c uint16, response bool) error {
	var got uint16
	switch m.Protocol {
	case SMB1:
		got = uint16(m.Header1.Command)
	case SMB2:
		got = uint16(m.Header2.Command)
	}
	if m.Protocol != p || got != c || m.Response() != response {
		return errAt(m.Offset, ErrCommand)
	}
	return nil
}

// bodyErr is an ErrBody at offset at of the message.
func (m *Message) bodyErr(at int) error { return errAt(m.Offset+int64(at), ErrBody) }

// params1 locates the parameter words and data bytes of an SMB1 message's
// first command (MS-CIFS 2.2.3.2, 2.2.3.3): the words, the offset of the
// data bytes in the message and their end.
func (m *Message) params1() (words []byte, data, end int, err error) {
	b := m.Data
	if len(b) < minMessage1 {
		return nil, 0, 0, m.bodyErr(0)
	}
	p := header1Size + 1 + 2*int(b[header1Size])
	if p+2 > len(b) {
		return nil, 0, 0, m.bodyErr(header1Size)
	}
	data = p + 2
	end = data + int(binary.LittleEndian.Uint16(b[p:]))
	if end > len(b) {
		return nil, 0, 0, m.bodyErr(p)
	}
	return b[header1Size+1 : p], data, end, nil
}

// strings1 reads the null-terminated strings of an SMB1 data area.
type strings1 struct {
	b        []byte // the message: Unicode strings are aligned from its first byte
	off, end int
	unicode  bool
}

// next returns the next string; pad aligns a Unicode string to an even
// offset first, as MS-CIFS has it everywhere but in a NEGOTIATE response.
func (r *strings1) next(pad bool) String {
	if r.off >= r.end {
		return String{Unicode: r.unicode}
	}
	if !r.unicode {
		s := r.b[r.off:r.end]
		if i := bytes.IndexByte(s, 0); i >= 0 {
			s = s[:i]
		}
		r.off += len(s) + 1
		return String{Raw: s}
	}
	if pad && r.off&1 == 1 {
		r.off++
	}
	i := r.off
	for i+1 < r.end && (r.b[i] != 0 || r.b[i+1] != 0) {
		i += 2
	}
	s := String{Raw: r.b[r.off:min(i, r.end)], Unicode: true}
	r.off = i + 2
	return s
}

// sub returns b[off:off+n] when it lies within b.
func sub(b []byte, off, n int) ([]byte, bool) {
	if off < 0 || n < 0 || off > len(b) || n > len(b)-off {
		return nil, false
	}
	return b[off : off+n], true
}

// Contexts iterates over the negotiate contexts of an SMB 3.1.1 NEGOTIATE
// request or response, in the style of bufio.Scanner:
//
//	it := req.Contexts()
//	for it.Next() {
//		t, data := it.Type(), it.Data()
//	}
//	err := it.Err()
//
// It allocates nothing except to return an error.
type Contexts struct {
	b    []byte // the message
	base int64  // its stream offset
	off  int    // of the next context in the message
	left int
	typ  ContextType
	data []byte
	err  error
}

// Next advances to the next context, reporting whether there is one.
func (it *Contexts) Next() bool {
	if it.left == 0 || it.err != nil {
		return false
	}
	it.off = (it.off + 7) &^ 7 // each context starts 8-byte aligned
	h, ok := sub(it.b, it.off, 8)
	if !ok {
		it.err = errAt(it.base+int64(min(it.off, len(it.b))), ErrBody)
		return false
	}
	data, ok := sub(it.b, it.off+8, int(binary.LittleEndian.Uint16(h[2:])))
	if !ok {
		it.err = errAt(it.base+int64(it.off), ErrBody)
		return false
	}
	it.typ, it.data = ContextType(binary.LittleEndian.Uint16(h)), data
	it.off += 8 + len(data)
	it.left--
	return true
}

// Type returns the current context's type.
func (it *Contexts) Type() ContextType { return it.typ }

// Data returns the current context's data, a view into the message.
func (it *Contexts) Data() []byte { return it.data }

// Err returns the error that stopped the iteration, or nil.
func (it *Contexts) Err() error { return it.err }
