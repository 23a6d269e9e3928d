package snmp

// Message is one SNMP message, read by [Parse]. Byte slices and OIDs are
// views into the message.
type Message struct {
	Version Version
	// Community is the community string of an SNMPv1 or SNMPv2c message:
	// a password, sent in clear text.
	Community []byte

	// HasPDU is false for an SNMPv3 message whose scoped PDU is
	// encrypted; PDU is then zero.
	HasPDU bool
	PDU    PDU

	// V3 holds the header of an SNMPv3 message.
	V3 V3Header
}

// V3Header is what an SNMPv3 message says in clear text (RFC 3412, RFC
// 3414): the global data, the USM security parameters and, when the PDU
// is not encrypted, the context.
type V3Header struct {
	MsgID         int64
	MaxSize       int64
	Flags         byte // 1: authenticated, 2: encrypted (privacy), 4: reportable
	SecurityModel SecurityModel
	// USM parameters (SecurityModel 3).
	EngineID    []byte // msgAuthoritativeEngineID
	EngineBoots int64
	EngineTime  int64
	UserName    []byte
	// Encrypted is set when the scoped PDU is an encryptedPDU.
	Encrypted       bool
	ContextEngineID []byte
	ContextName     []byte
}

// Authenticated reports whether the authFlag is set.
func (h *V3Header) Authenticated() bool { return h.Flags&1 != 0 }

// Private reports whether the privFlag is set: the PDU is encrypted.
func (h *V3Header) Private() bool { return h.Flags&2 != 0 }

// PDU is a protocol data unit.
type PDU struct {
	Type      PDUType
	RequestID int64
	// ErrorStatus and ErrorIndex are those of a response (zero in other
	// PDUs, except a get-bulk-request, whose fields are below).
	ErrorStatus ErrorStatus
	ErrorIndex  int64
	// NonRepeaters and MaxRepetitions are those of a get-bulk-request.
	NonRepeaters, MaxRepetitions int64

	// Trap (SNMPv1): the enterprise, the agent's address, the generic and
	// specific trap and the agent's uptime in hundredths of a second.
	// RequestID is zero.
	Enterprise   OID
	AgentAddr    []byte
	GenericTrap  GenericTrap
	SpecificTrap int64
	Timestamp    uint64

	varbinds    []byte // the contents of the variable-bindings sequence
	varbindsOff int    // their offset in the message
	data        []byte // the whole message, for offsets
	numVarBinds int
	maxArcs     int
}

// NumVarBinds returns the number of variable bindings.
func (p *PDU) NumVarBinds() int { return p.numVarBinds }

// VarBind is a variable binding: an object's name and its value.
type VarBind struct {
	Name  OID
	Value Value
}

// VarBinds returns an iterator over the variable bindings:
//
//	it := msg.PDU.VarBinds()
//	for it.Next() {
//		vb := it.VarBind()
//	}
//
// The bindings of a parsed message have been checked, so it.Err() is nil.
func (p *PDU) VarBinds() VarBindIter {
	return VarBindIter{data: p.data, off: p.varbindsOff, end: p.varbindsOff + len(p.varbinds), maxArcs: p.maxArcs}
}

// Lookup returns the value bound to name, if any.
func (p *PDU) Lookup(name OID) (Value, bool) {
	it := p.VarBinds()
	for it.Next() {
		if vb := it.VarBind(); vb.Name.Equal(name) {
			return vb.Value, true
		}
	}
	return Value{}, false
}

// VarBindIter iterates over the variable bindings of a PDU; see
// [PDU.VarBinds]. It allocates nothing.
type VarBindIter struct {
	data     []byte
	off, end int
	vb       VarBind
	err      error
	maxArcs  int
}

// Next advances to the next binding and reports whether there is one.
func (it *VarBindIter) Next() bool {
	if it.err != nil || it.off >= it.end {
		return false
	}
	vb, next, err := readVarBind(it.data, it.off, it.end, it.maxArcs)
	if err != nil {
		it.err = err
		return false
	}
	it.vb, it.off = vb, next
	return true
}

// VarBind returns the current binding.
func (it *VarBindIter) VarBind() VarBind { return it.vb }

// Err returns the error that stopped iteration, or nil.
func (it *VarBindIter) Err() error { return it.err }

// readVarBind reads the VarBind SEQUENCE { name OID, value } at b[off:].
func readVarBind(b []byte, off, limit, maxArcs int) (vb VarBind, next int, err error) {
	seq, next, err := readElement(b, off, limit)
	if err != nil {
		return vb, off, err
	}
	if seq.Tag != TagSequence {
		return vb, off, errAt(off, ErrTag)
	}
	p, end := next-len(seq.Value), next
	name, p, err := readElement(b, p, end)
	if err != nil {
		return vb, off, err
	}
	if name.Tag != TagOID {
		return vb, off, errAt(name.Offset, ErrTag)
	}
	if bad := CheckOID(name.Value, maxArcs); bad >= 0 {
		return vb, off, errAt(name.Offset, ErrOID)
	}
	val, p, err := readElement(b, p, end)
	if err != nil {
		return vb, off, err
	}
	if val.Constructed() {
		return vb, off, errAt(val.Offset, ErrTag)
	}
	if p != end {
		return vb, off, errAt(p, ErrTrailing)
	}
	vb = VarBind{Name: OID{name.Value}, Value: Value{Type: ValueType(val.Tag), Bytes: val.Value, Offset: val.Offset}}
	if err := checkValue(vb.Value, maxArcs); err != nil {
		return vb, off, err
	}
	return vb, next, nil
}

// checkValue checks the values whose contents SNMP constrains.
func checkValue(v Value, maxArcs int) error {
	switch {
	case v.Type == TypeInteger:
		_, err := v.Int()
		return err
	case v.Type.Unsigned():
		_, err := v.Uint()
		return err
	case v.Type == TypeOID:
		if CheckOID(v.Bytes, maxArcs) >= 0 {
			return errAt(v.Offset, ErrOID)
		}
	case v.Type == TypeIPAddress:
		if len(v.Bytes) != 4 {
			return errAt(v.Offset, ErrLength)
		}
	case v.Type == TypeNull || v.Type.Exception():
		if len(v.Bytes) != 0 {
			return errAt(v.Offset, ErrLength)
		}
	}
	return nil
}
