package intellivue

import "errors"

// ErrNotGetSet is returned, unwrapped, by the GET and SET accessors called
// on another message.
var ErrNotGetSet = errors.New("intellivue: not a GET or SET operation")

// GetRequest is the argument of a GET invoke (GetArgument after the managed
// object): the scope and the attributes asked for; no attribute IDs means
// all attributes.
type GetRequest struct {
	Scope uint32
	IDs   AttrIDIter
}

// AttrIDIter walks an AttributeIdList:
//
//	for it.Next() {
//		id := it.ID()
//		...
//	}
//	if err := it.Err(); err != nil { ... }
//
// The zero value is empty.
type AttrIDIter struct {
	r    reader
	left int
	cur  AttrID
}

// Len returns the number of IDs the list declares that Next has not yet
// read: before the first call, the length of the list.
func (it *AttrIDIter) Len() int { return it.left }

// Next advances to the next attribute ID, which [AttrIDIter.ID] then
// returns. It returns false at the end or on a malformed list (see Err).
func (it *AttrIDIter) Next() bool {
	if it.left <= 0 || it.r.err != nil {
		it.cur = 0
		return false
	}
	it.left--
	it.cur = AttrID(it.r.u16())
	return it.r.err == nil
}

// ID returns the attribute ID Next advanced to.
func (it *AttrIDIter) ID() AttrID { return it.cur }

// Err returns the error that stopped the iteration, if any.
func (it *AttrIDIter) Err() error { return it.r.err }

// GetRequest decodes the argument of a GET invoke.
func (m *Message) GetRequest() (GetRequest, error) {
	var g GetRequest
	if m.RO != ROInvoke || m.Command != CmdGet {
		return g, ErrNotGetSet
	}
	r := m.bodyReader()
	g.Scope = r.u32()
	n := int(r.u16())
	g.IDs = AttrIDIter{r: r.sub(int(r.u16())), left: n}
	return g, r.err
}

// SetRequest is the argument of a SET or confirmed SET invoke
// (SetArgument after the managed object).
type SetRequest struct {
	Scope uint32
	Mods  ModIter
}

// Mod is one AttributeModEntry: an operator and the attribute it applies.
type Mod struct {
	Op ModifyOperator // ModReplace, ModAddValues, ...
	Attr
}

// ModIter walks a ModificationList:
//
//	for it.Next() {
//		mod := it.Mod()
//		...
//	}
//	if err := it.Err(); err != nil { ... }
//
// The zero value is empty.
type ModIter struct {
	r    reader
	left int
	cur  Mod
}

// Len returns the number of entries the list declares that Next has not
// yet read: before the first call, the length of the list.
func (it *ModIter) Len() int { return it.left }

// Next advances to the next entry, which [ModIter.Mod] then returns. It
// returns false at the end or on a malformed list (see Err).
func (it *ModIter) Next() bool {
	if it.left <= 0 || it.r.err != nil {
		it.cur = Mod{}
		return false
	}
	it.left--
	op := ModifyOperator(it.r.u16())
	a := readAttr(&it.r)
	if it.r.err != nil {
		it.cur = Mod{}
		return false
	}
	it.cur = Mod{Op: op, Attr: a}
	return true
}

// Mod returns the entry Next advanced to; its Value is a view into the
// datagram.
func (it *ModIter) Mod() Mod { return it.cur }

// Err returns the error that stopped the iteration, if any.
func (it *ModIter) Err() error { return it.r.err }

// SetRequest decodes the argument of a SET or confirmed SET invoke.
func (m *Message) SetRequest() (SetRequest, error) {
	var s SetRequest
	if m.RO != ROInvoke || (m.Command != CmdSet && m.Command != CmdConfirmedSet) {
		return s, ErrNotGetSet
	}
	r := m.bodyReader()
	s.Scope = r.u32()
	n := int(r.u16())
	s.Mods = ModIter{r: r.sub(int(r.u16())), left: n}
	return s, r.err
}

// ResultAttributes returns the attribute list of a GET or confirmed SET
// result (GetResult or SetResult after the managed object), plain or
// linked.
func (m *Message) ResultAttributes() (AttrIter, error) {
	if (m.RO != ROResult && m.RO != ROLinkedResult) || (m.Command != CmdGet && m.Command != CmdConfirmedSet) {
		return AttrIter{}, ErrNotGetSet
	}
	r := m.bodyReader()
	it := attrList(&r)
	return it, r.err
}

// AttributeIDs returns how many attributes a GET or SET names and copies
// the IDs of the first len(dst) of them into dst: the IDs a GET invoke asks
// for ([Message.GetRequest]), the attributes a SET or confirmed SET invoke
// modifies ([Message.SetRequest]), or those a GET or confirmed SET result,
// plain or linked, returns ([Message.ResultAttributes]). On a malformed
// list it returns the error with the attributes read before it; for another
// message, 0 and [ErrNotGetSet]. It allocates nothing.
func (m *Message) AttributeIDs(dst []AttrID) (n int, err error) {
	add := func(id AttrID) {
		if n < len(dst) {
			dst[n] = id
		}
		n++
	}
	switch {
	case m.RO == ROInvoke && m.Command == CmdGet:
		g, err := m.GetRequest()
		if err != nil {
			return 0, err
		}
		for g.IDs.Next() {
			add(g.IDs.ID())
		}
		return n, g.IDs.Err()
	case m.RO == ROInvoke:
		s, err := m.SetRequest()
		if err != nil {
			return 0, err
		}
		for s.Mods.Next() {
			add(s.Mods.Mod().ID)
		}
		return n, s.Mods.Err()
	}
	it, err := m.ResultAttributes()
	if err != nil {
		return 0, err
	}
	for it.Next() {
		add(it.Attr().ID)
	}
	return n, it.Err()
}
