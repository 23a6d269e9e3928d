package dnsmsg

import (
	"encoding/binary"
	"net/netip"
)

func (r *Resource) fail(err error, off int) error {
	return &Error{Offset: int64(off), Err: err}
}

func (r *Resource) want(t Type) error {
	if r.Type != t {
		return r.fail(ErrRecordType, r.Offset)
	}
	return nil
}

// A returns the address of an A record.
func (r *Resource) A() (netip.Addr, error) {
	if err := r.want(TypeA); err != nil {
		return netip.Addr{}, err
	}
	if len(r.Data) != 4 {
		return netip.Addr{}, r.fail(ErrRData, r.DataOffset)
	}
	return netip.AddrFrom4([4]byte(r.Data)), nil
}

// AAAA returns the address of an AAAA record.
func (r *Resource) AAAA() (netip.Addr, error) {
	if err := r.want(TypeAAAA); err != nil {
		return netip.Addr{}, err
	}
	if len(r.Data) != 16 {
		return netip.Addr{}, r.fail(ErrRData, r.DataOffset)
	}
	return netip.AddrFrom16([16]byte(r.Data)), nil
}

// dataName reads the name at off inside r's data, which must end by the
// end of the data (exactly there when exact is set).
func (r *Resource) dataName(off int, exact bool) (Name, int, error) {
	end := r.DataOffset + len(r.Data)
	if off >= end {
		return Name{}, 0, r.fail(ErrRData, off)
	}
	next, f := walkName(r.msg[:end], off, r.maxPtr)
	if f.err != nil {
		if f.err == ErrTruncated {
			f.err = ErrRData
		}
		return Name{}, 0, f.wrap()
	}
	if exact && next != end {
		return Name{}, 0, r.fail(ErrRData, next)
	}
	return Name{r.msg, off}, next, nil
}

// Target returns the name a PTR, CNAME, NS or DNAME record holds.
func (r *Resource) Target() (Name, error) {
	switch r.Type {
	case TypePTR, TypeCNAME, TypeNS, TypeDNAME:
	default:
		return Name{}, r.fail(ErrRecordType, r.Offset)
	}
	n, _, err := r.dataName(r.DataOffset, true)
	return n, err
}

// SRV is the data of an SRV record (RFC 2782): where a service instance
// is reached.
type SRV struct {
	Priority, Weight, Port uint16
	Target                 Name
}

// SRV returns the data of an SRV record.
func (r *Resource) SRV() (SRV, error) {
	if err := r.want(TypeSRV); err != nil {
		return SRV{}, err
	}
	if len(r.Data) < 7 {
		return SRV{}, r.fail(ErrRData, r.DataOffset)
	}
	t, _, err := r.dataName(r.DataOffset+6, true)
	if err != nil {
		return SRV{}, err
	}
	d := r.Data
	return SRV{
		Priority: binary.BigEndian.Uint16(d),
		Weight:   binary.BigEndian.Uint16(d[2:]),
		Port:     binary.BigEndian.Uint16(d[4:]),
		Target:   t,
	}, nil
}

// HINFO returns the CPU and operating system strings of an HINFO record,
// views into the message.
func (r *Resource) HINFO() (cpu, os []byte, err error) {
	if err := r.want(TypeHINFO); err != nil {
		return nil, nil, err
	}
	d := r.Data
	if len(d) < 1 || 1+int(d[0]) >= len(d) {
		return nil, nil, r.fail(ErrRData, r.DataOffset)
	}
	cpu, d = d[1:1+d[0]], d[1+d[0]:]
	if 1+int(d[0]) != len(d) {
		return nil, nil, r.fail(ErrRData, r.DataOffset+1+len(cpu))
	}
	return cpu, d[1:], nil
}

// TXT returns an iterator over the strings of a TXT record. For a record
// of another type it yields nothing and its Err is ErrRecordType.
func (r *Resource) TXT() TXT {
	if err := r.want(TypeTXT); err != nil {
		return TXT{err: err, done: true}
	}
	return TXT{data: r.Data, base: r.DataOffset}
}

// TXT iterates over the character strings of a TXT record, which DNS-SD
// reads as key=value pairs (RFC 6763 §6):
//
//	for t := r.TXT(); t.Next(); {
//		key, value, hasValue := t.Pair()
//	}
//
// Strings are at most 255 bytes each and the iterator holds no memory, so
// a record costs what its length does; callers that keep pairs bound how
// many they keep.
type TXT struct {
	data []byte
	base int // offset of data in the message
	off  int
	cur  []byte
	err  error
	done bool
}

// Next advances to the next string and reports whether there is one.
func (t *TXT) Next() bool {
	if t.done || t.off >= len(t.data) {
		t.done = true
		return false
	}
	n := int(t.data[t.off])
	if t.off+1+n > len(t.data) {
		t.err = &Error{Offset: int64(t.base + t.off), Err: ErrRData}
		t.done = true
		return false
	}
	t.cur = t.data[t.off+1 : t.off+1+n]
	t.off += 1 + n
	return true
}

// Bytes returns the current string, a view into the message.
func (t *TXT) Bytes() []byte { return t.cur }

// Pair splits the current string at its first '=' into a key and a value
// (RFC 6763 §6.3). A string without '=' is a key alone (a boolean
// attribute): hasValue is false. A string that starts with '=' has no key
// and is to be ignored; so is the empty string of an empty TXT record.
func (t *TXT) Pair() (key, value []byte, hasValue bool) {
	for i, c := range t.cur {
		if c == '=' {
			return t.cur[:i], t.cur[i+1:], true
		}
	}
	return t.cur, nil, false
}

// Err returns the error that stopped Next: a string that overruns the
// record, or ErrRecordType.
func (t *TXT) Err() error { return t.err }

// Lookup returns the value of the first pair whose key is key, compared
// without regard to ASCII case as RFC 6763 §6.4 says. It starts from the
// first string whatever t's position, and leaves t where it is.
func (t TXT) Lookup(key string) (value []byte, hasValue, ok bool) {
	it := TXT{data: t.data, base: t.base}
	for it.Next() {
		k, v, has := it.Pair()
		if equalFold(k, key) {
			return v, has, true
		}
	}
	return nil, false, false
}

// Keys of TXT records that name a device's maker or model, as printers
// (the IPP Everywhere and Bonjour printing keys), Apple's _device-info
// service and many embedded devices publish them, and that AppendModel
// reads in this order.
var (
	makerKeys = [...]string{"manufacturer", "usb_MFG", "mfg", "vendor"}
	modelKeys = [...]string{"model", "usb_MDL", "mdl", "ty", "product"}
)

// AppendModel appends what the record says of the device's maker and
// model: the first of the keys manufacturer, usb_MFG, mfg and vendor, a
// space, and the first of model, usb_MDL, mdl, ty and product ("Siemens
// Somatom Go"), or whichever of the two is present. ok is false, and dst
// returned as it is, when neither is.
func (t TXT) AppendModel(dst []byte) ([]byte, bool) {
	n := len(dst)
	for _, k := range makerKeys {
		if v, _, ok := t.Lookup(k); ok && len(v) > 0 {
			dst = append(dst, v...)
			break
		}
	}
	for _, k := range modelKeys {
		if v, _, ok := t.Lookup(k); ok && len(v) > 0 {
			if len(dst) > n {
				dst = append(dst, ' ')
			}
			dst = append(dst, v...)
			break
		}
	}
	return dst, len(dst) > n
}

// NSEC is the data of an NSEC record (RFC 4034 §4), which mDNS uses to
// say which types a name has, and so which it has not (RFC 6762 §6.1).
type NSEC struct {
	Next   Name
	bitmap []byte // the type bit maps, checked
}

// NSEC returns the data of an NSEC record.
func (r *Resource) NSEC() (NSEC, error) {
	if err := r.want(TypeNSEC); err != nil {
		return NSEC{}, err
	}
	next, off, err := r.dataName(r.DataOffset, false)
	if err != nil {
		return NSEC{}, err
	}
	bm := r.msg[off : r.DataOffset+len(r.Data)]
	last := -1
	for i := 0; i < len(bm); {
		if i+2 > len(bm) {
			return NSEC{}, r.fail(ErrRData, off+i)
		}
		w, n := int(bm[i]), int(bm[i+1])
		if w <= last || n < 1 || n > 32 || i+2+n > len(bm) {
			return NSEC{}, r.fail(ErrRData, off+i)
		}
		last = w
		i += 2 + n
	}
	return NSEC{Next: next, bitmap: bm}, nil
}

// Has reports whether the type bit maps list t.
func (n NSEC) Has(t Type) bool {
	w, bit := int(t>>8), int(t&0xFF)
	for i := 0; i+2 <= len(n.bitmap); {
		win, l := int(n.bitmap[i]), int(n.bitmap[i+1])
		if win == w {
			return bit/8 < l && i+2+bit/8 < len(n.bitmap) && n.bitmap[i+2+bit/8]&(0x80>>(bit%8)) != 0
		}
		i += 2 + l
	}
	return false
}

// Types returns an iterator over the types the bit maps list, in
// increasing order.
func (n NSEC) Types() Types { return Types{bitmap: n.bitmap} }

// Types iterates over the types of an [NSEC] record:
//
//	for ts := n.Types(); ts.Next(); {
//		t := ts.Type()
//	}
type Types struct {
	bitmap []byte
	i      int // start of the current window
	bit    int // next bit to look at in it
	cur    Type
}

// Next advances to the next type listed and reports whether there is one.
func (ts *Types) Next() bool {
	for ts.i+2 <= len(ts.bitmap) {
		w, l := int(ts.bitmap[ts.i]), int(ts.bitmap[ts.i+1])
		bits := ts.bitmap[ts.i+2 : min(ts.i+2+l, len(ts.bitmap))]
		for ; ts.bit < 8*len(bits); ts.bit++ {
			if bits[ts.bit/8]&(0x80>>(ts.bit%8)) != 0 {
				ts.cur = Type(w<<8 | ts.bit)
				ts.bit++
				return true
			}
		}
		ts.i, ts.bit = ts.i+2+l, 0
	}
	return false
}

// Type returns the current type.
func (ts *Types) Type() Type { return ts.cur }
