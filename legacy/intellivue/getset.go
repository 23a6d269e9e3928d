package intellivue

import "errors"

// ErrNotGetSet is returned, unwrapped, by the GET and SET accessors called
// on another message.
var ErrNotGetSet = errors.New("intellivue: not a GET or SET operation")

// Modify operators of SET modification entries (ModifyOperator).
const (
	ModReplace      = 0 // REPLACE
	ModAddValues    = 1 // ADD_VALUES
	ModRemoveValues = 2 // REMOVE_VALUES
	ModSetDefault   = 3 // SET_TO_DEFAULT
)

// GetRequest is the argument of a GET invoke (GetArgument after the managed
// object): the scope and the attributes asked for; no attribute IDs means
// all attributes.
type GetRequest struct {
	Scope uint32
	IDs   AttrIDIter
}

// AttrIDIter walks an AttributeIdList. The zero value is empty.
type AttrIDIter struct {
	r    reader
	left int
}

// Len returns the number of IDs the list declares.
func (it *AttrIDIter) Len() int { return it.left }

// Next returns the next attribute ID, or false at the end or on a malformed
// list (see Err).
func (it *AttrIDIter) Next() (uint16, bool) {
	if it.left <= 0 || it.r.err != nil {
		return 0, false
	}
	it.left--
	id := it.r.u16()
	return id, it.r.err == nil
}

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
	Op uint16 // ModReplace, ModAddValues, ...
	Attr
}

// ModIter walks a ModificationList. The zero value is empty.
type ModIter struct {
	r    reader
	left int
}

// Len returns the number of entries the list declares.
func (it *ModIter) Len() int { return it.left }

// Next returns the next entry, or false at the end or on a malformed list
// (see Err).
func (it *ModIter) Next() (Mod, bool) {
	if it.left <= 0 || it.r.err != nil {
		return Mod{}, false
	}
	it.left--
	m := Mod{Op: it.r.u16()}
	m.ID = it.r.u16()
	n := int(it.r.u16())
	m.Offset = it.r.base + it.r.off
	m.Value = it.r.bytes(n)
	return m, it.r.err == nil
}

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
