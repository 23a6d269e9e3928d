package snmp

// Parser reads SNMP messages within its limits. The zero value applies
// the defaults.
type Parser struct {
	// MaxOIDLen limits the arcs of every object identifier; 0 means
	// DefaultMaxOIDLen (128, SNMP's own limit).
	MaxOIDLen int
}

// Parse reads one message (a UDP datagram's payload) with the default
// limits; see [Parser.Parse].
func Parse(data []byte, m *Message) error {
	var p Parser
	return p.Parse(data, m)
}

// Parse reads one SNMPv1, SNMPv2c or SNMPv3 message into m, which it
// overwrites, checking every element down to the values of the variable
// bindings (definite lengths within their containers, the types SNMP puts
// in each place, integers and OIDs within their limits, nothing after the
// last member of a sequence). The PDU of an SNMPv3 message is read when it
// is not encrypted. It allocates nothing unless it returns an error; m
// keeps views into data.
func (p *Parser) Parse(data []byte, m *Message) error {
	*m = Message{}
	outer := cursor{b: data, end: len(data)}
	_, c, err := outer.next(TagSequence)
	if err != nil {
		return err
	}
	if err := outer.done(); err != nil {
		return err
	}
	vOff := c.off
	v, err := c.int()
	if err != nil {
		return err
	}
	m.Version = Version(v)
	switch m.Version {
	case V1, V2c:
		com, _, err := c.next(TagOctetString)
		if err != nil {
			return err
		}
		m.Community = com.Value
		m.HasPDU = true
		if err := p.pdu(&c, &m.PDU); err != nil {
			return err
		}
	case V3:
		if err := p.v3(&c, m); err != nil {
			return err
		}
	default:
		return errAt(vOff, ErrVersion)
	}
	return c.done()
}

// v3 reads what follows msgVersion in an SNMPv3 message.
func (p *Parser) v3(c *cursor, m *Message) error {
	h := &m.V3
	_, g, err := c.next(TagSequence) // msgGlobalData
	if err != nil {
		return err
	}
	if h.MsgID, err = g.int(); err != nil {
		return err
	}
	if h.MaxSize, err = g.int(); err != nil {
		return err
	}
	flags, _, err := g.next(TagOctetString)
	if err != nil {
		return err
	}
	if len(flags.Value) != 1 {
		return errAt(flags.Offset, ErrLength)
	}
	h.Flags = flags.Value[0]
	model, err := g.int()
	if err != nil {
		return err
	}
	h.SecurityModel = SecurityModel(model)
	if err := g.done(); err != nil {
		return err
	}
	sp, spc, err := c.next(TagOctetString) // msgSecurityParameters
	if err != nil {
		return err
	}
	if h.SecurityModel == USM && len(sp.Value) > 0 {
		if err := usm(&spc, h); err != nil {
			return err
		}
	}
	// msgData: a plaintext ScopedPDU or an encryptedPDU.
	e, sc, err := c.any()
	if err != nil {
		return err
	}
	switch e.Tag {
	case TagOctetString:
		h.Encrypted = true
		return nil
	case TagSequence:
	default:
		return errAt(e.Offset, ErrTag)
	}
	ce, _, err := sc.next(TagOctetString)
	if err != nil {
		return err
	}
	cn, _, err := sc.next(TagOctetString)
	if err != nil {
		return err
	}
	h.ContextEngineID, h.ContextName = ce.Value, cn.Value
	m.HasPDU = true
	if err := p.pdu(&sc, &m.PDU); err != nil {
		return err
	}
	return sc.done()
}

// usm reads UsmSecurityParameters from the contents of
// msgSecurityParameters.
func usm(c *cursor, h *V3Header) error {
	_, s, err := c.next(TagSequence)
	if err != nil {
		return err
	}
	id, _, err := s.next(TagOctetString)
	if err != nil {
		return err
	}
	h.EngineID = id.Value
	if h.EngineBoots, err = s.int(); err != nil {
		return err
	}
	if h.EngineTime, err = s.int(); err != nil {
		return err
	}
	user, _, err := s.next(TagOctetString)
	if err != nil {
		return err
	}
	h.UserName = user.Value
	for range 2 { // authentication and privacy parameters
		if _, _, err := s.next(TagOctetString); err != nil {
			return err
		}
	}
	if err := s.done(); err != nil {
		return err
	}
	return c.done()
}

// pdu reads a PDU and checks its variable bindings.
func (p *Parser) pdu(c *cursor, pdu *PDU) error {
	e, pc, err := c.any()
	if err != nil {
		return err
	}
	pdu.Type = PDUType(e.Tag)
	if pdu.Type < GetRequest || pdu.Type > Report {
		return errAt(e.Offset, ErrTag)
	}
	pdu.data, pdu.maxArcs = c.b, p.MaxOIDLen
	if pdu.Type == TrapV1 {
		ent, _, err := pc.next(TagOID)
		if err != nil {
			return err
		}
		if CheckOID(ent.Value, p.MaxOIDLen) >= 0 {
			return errAt(ent.Offset, ErrOID)
		}
		pdu.Enterprise = OID{ent.Value}
		addr, _, err := pc.next(byte(TypeIPAddress))
		if err != nil {
			return err
		}
		if len(addr.Value) != 4 {
			return errAt(addr.Offset, ErrLength)
		}
		pdu.AgentAddr = addr.Value
		g, err := pc.int()
		if err != nil {
			return err
		}
		pdu.GenericTrap = GenericTrap(g)
		if pdu.SpecificTrap, err = pc.int(); err != nil {
			return err
		}
		ts, _, err := pc.next(byte(TypeTimeTicks))
		if err != nil {
			return err
		}
		if pdu.Timestamp, err = (Value{Type: TypeTimeTicks, Bytes: ts.Value, Offset: ts.Offset}).Uint(); err != nil {
			return err
		}
	} else {
		if pdu.RequestID, err = pc.int(); err != nil {
			return err
		}
		a, err := pc.int()
		if err != nil {
			return err
		}
		b, err := pc.int()
		if err != nil {
			return err
		}
		if pdu.Type == GetBulkRequest {
			pdu.NonRepeaters, pdu.MaxRepetitions = a, b
		} else {
			pdu.ErrorStatus, pdu.ErrorIndex = ErrorStatus(a), b
		}
	}
	vl, vc, err := pc.next(TagSequence)
	if err != nil {
		return err
	}
	pdu.varbinds, pdu.varbindsOff = vl.Value, vc.off
	for vc.off < vc.end {
		_, next, err := readVarBind(vc.b, vc.off, vc.end, p.MaxOIDLen)
		if err != nil {
			return err
		}
		vc.off = next
		pdu.numVarBinds++
	}
	return pc.done()
}

// cursor reads the elements of b[off:end], a container's contents.
type cursor struct {
	b        []byte
	off, end int
}

// any reads the next element, and returns a cursor over its contents.
func (c *cursor) any() (Element, cursor, error) {
	e, next, err := readElement(c.b, c.off, c.end)
	if err != nil {
		return e, cursor{}, err
	}
	c.off = next
	return e, cursor{b: c.b, off: next - len(e.Value), end: next}, nil
}

// next reads the next element, which must have the tag.
func (c *cursor) next(tag byte) (Element, cursor, error) {
	off := c.off
	e, in, err := c.any()
	if err == nil && e.Tag != tag {
		c.off = off
		return e, in, errAt(e.Offset, ErrTag)
	}
	return e, in, err
}

// int reads an INTEGER.
func (c *cursor) int() (int64, error) {
	e, _, err := c.next(TagInteger)
	if err != nil {
		return 0, err
	}
	return parseInt(e.Value, e.Offset)
}

// done checks that nothing follows the last member.
func (c *cursor) done() error {
	if c.off != c.end {
		return errAt(c.off, ErrTrailing)
	}
	return nil
}

// Sniff reports whether data begins an SNMP message: a SEQUENCE holding
// an INTEGER version 0, 1 or 3, followed by an OCTET STRING (the
// community) or, for version 3, a SEQUENCE. It does not allocate.
func Sniff(data []byte) bool {
	if len(data) < 7 || data[0] != TagSequence {
		return false
	}
	p := 2
	if data[1]&0x80 != 0 {
		p += int(data[1] & 0x7f)
		if data[1] == 0x80 || p > 6 {
			return false
		}
	}
	if len(data) < p+4 || data[p] != TagInteger || data[p+1] != 1 {
		return false
	}
	switch data[p+2] {
	case 0, 1:
		return data[p+3] == TagOctetString
	case 3:
		return data[p+3] == TagSequence
	}
	return false
}
