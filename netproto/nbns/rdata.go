package nbns

import (
	"encoding/binary"
	"net/netip"
)

func (r *Resource) fail(err error, off int) error { return &Error{Offset: int64(off), Err: err} }

// NB returns an iterator over the addresses of an NB record: one for a
// unique name, possibly several for a group or a multihomed host, none in
// a negative response.
func (r *Resource) NB() NBEntries {
	if r.Type != TypeNB {
		return NBEntries{err: r.fail(ErrRecordType, r.Offset)}
	}
	if len(r.Data)%6 != 0 {
		return NBEntries{err: r.fail(ErrRData, r.DataOffset)}
	}
	return NBEntries{data: r.Data}
}

// NBEntry is one address of an NB record.
type NBEntry struct {
	Flags NBFlags
	Addr  netip.Addr
}

// NBEntries iterates over the addresses of an NB record:
//
//	for nb := r.NB(); nb.Next(); {
//		e := nb.Entry()
//	}
type NBEntries struct {
	data []byte
	cur  NBEntry
	err  error
}

// Next advances to the next address and reports whether there is one.
func (it *NBEntries) Next() bool {
	if len(it.data) < 6 {
		return false
	}
	it.cur = NBEntry{Flags: NBFlags(binary.BigEndian.Uint16(it.data)), Addr: netip.AddrFrom4([4]byte(it.data[2:6]))}
	it.data = it.data[6:]
	return true
}

// Entry returns the current address.
func (it *NBEntries) Entry() NBEntry { return it.cur }

// Err returns ErrRecordType or ErrRData when the record was not NB data.
func (it *NBEntries) Err() error { return it.err }

// NodeStatus is the data of a node status (NBSTAT) response: the node's
// name table and its statistics, whose first six bytes are the unit ID,
// the MAC address of its adapter (RFC 1002 §4.2.18).
type NodeStatus struct {
	names []byte // 18 bytes per name
	// Stats are the statistics after the name table, a view into the
	// message (46 bytes from Windows and Samba).
	Stats []byte
}

// NodeStatus returns the data of an NBSTAT record.
func (r *Resource) NodeStatus() (NodeStatus, error) {
	if r.Type != TypeNBSTAT {
		return NodeStatus{}, r.fail(ErrRecordType, r.Offset)
	}
	if len(r.Data) < 1 || 1+18*int(r.Data[0]) > len(r.Data) {
		return NodeStatus{}, r.fail(ErrRData, r.DataOffset)
	}
	n := 1 + 18*int(r.Data[0])
	return NodeStatus{names: r.Data[1:n], Stats: r.Data[n:]}, nil
}

// Len returns the number of names in the table.
func (s NodeStatus) Len() int { return len(s.names) / 18 }

// UnitID returns the unit ID: the node's MAC address, when the
// statistics hold one. Samba's nmbd sends zeros.
func (s NodeStatus) UnitID() (mac [6]byte, ok bool) {
	if len(s.Stats) < 6 {
		return mac, false
	}
	return [6]byte(s.Stats), true
}

// Names returns an iterator over the name table.
func (s NodeStatus) Names() NameTable { return NameTable{data: s.names} }

// NameEntry is one name of a node status name table.
type NameEntry struct {
	Name  Name // no scope: the table holds bare sixteen-byte names
	Flags NameFlags
}

// NameTable iterates over the names of a [NodeStatus]:
//
//	for t := s.Names(); t.Next(); {
//		e := t.Entry()
//	}
type NameTable struct {
	data []byte
	cur  NameEntry
}

// Next advances to the next name and reports whether there is one.
func (t *NameTable) Next() bool {
	if len(t.data) < 18 {
		return false
	}
	t.cur = NameEntry{Flags: NameFlags(binary.BigEndian.Uint16(t.data[16:]))}
	copy(t.cur.Name.Raw[:], t.data[:16])
	t.data = t.data[18:]
	return true
}

// Entry returns the current name.
func (t *NameTable) Entry() NameEntry { return t.cur }

// WACK returns the data of a WACK (wait for acknowledgement) response: the
// header flags of the request the name server is still working on.
func (r *Resource) WACK() (Flags, error) {
	if len(r.Data) != 2 {
		return 0, r.fail(ErrRData, r.DataOffset)
	}
	return Flags(binary.BigEndian.Uint16(r.Data)), nil
}
