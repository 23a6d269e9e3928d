package hl7

// Check verifies what every HL7 v2 message needs whatever its type: MSH-9
// (message type), MSH-10 (control ID), MSH-11 (processing ID) and MSH-12 (a
// version from 2.1 to 2.8.x), and an MSA segment in an acknowledgement (ACK,
// or MCF in 2.1). Parse does not require any of this; Check is for callers
// that want to reject such messages (an interface engine answering AR, a
// detector flagging malformed traffic). It returns the first problem as a
// *ParseError wrapping ErrMissingField, ErrVersion or ErrNoMSA.
func (m *Message) Check() error {
	if m.NumSegments() == 0 {
		return perr(0, nil, ErrNoMSH)
	}
	msh := m.MSH()
	off := m.Offset(0)
	for _, f := range [...]struct {
		n    int
		name string
	}{{9, "MSH-9"}, {10, "MSH-10"}, {11, "MSH-11"}, {12, "MSH-12"}} {
		if msh.Field(f.n).IsEmpty() {
			return &ParseError{Offset: int64(off), Segment: f.name, Err: ErrMissingField}
		}
	}
	if !validVersion(m.Version().Comp(1).Bytes()) {
		return &ParseError{Offset: int64(off), Segment: "MSH-12", Err: ErrVersion}
	}
	if m.IsAck() {
		if _, ok := m.Ack(); !ok {
			return &ParseError{Offset: int64(off), Segment: "MSA", Err: ErrNoMSA}
		}
	}
	return nil
}

// validVersion accepts 2.1 to 2.8 with an optional third part (2.3.1,
// 2.5.1, 2.8.2).
func validVersion(v []byte) bool {
	if len(v) < 3 || v[0] != '2' || v[1] != '.' || v[2] < '1' || v[2] > '8' {
		return false
	}
	rest := v[3:]
	if len(rest) == 0 {
		return true
	}
	if rest[0] != '.' || len(rest) == 1 {
		return false
	}
	return numeric(rest[1:])
}
