package intellivue

import "bytes"

// UserInfo is the MDSE user information (MDSEUserInfoStd) that an
// association request or response carries inside its presentation layer
// user data. The iterators read the datagram and are valid as long as it.
type UserInfo struct {
	ProtocolVersion     ProtocolVersion     // ProtocolMDDLVersion1
	NomenclatureVersion NomenclatureVersion // NomenclatureVersion1
	FunctionalUnits     uint32
	SystemType          SystemType  // SystemClient or SystemServer
	StartupMode         StartupMode // StartupHot, StartupWarm or StartupCold
	Options             AttrIter    // option_list
	Profiles            AttrIter    // supported_aprofiles

	// The poll profile (NOM_POLL_PROFILE_SUPPORT) of supported_aprofiles,
	// if HasPoll.
	HasPoll bool
	Poll    PollProfile
}

// PollProfile is a PollProfileSupport: what a client asks for or a monitor
// grants for polling.
type PollProfile struct {
	Revision      uint32 // POLL_PROFILE_REV_0 is 0x80000000
	MinPollPeriod uint32 // relative time, 1/8 ms
	MaxMTURx      uint32 // bytes
	MaxMTUTx      uint32
	MaxBWTx       uint32      // bytes per second; 0xFFFFFFFF for no limit
	Options       PollOptions // PollOptDynCreate, PollOptDynDelete
	Packages      AttrIter
	// The extended poll options (NOM_ATTR_POLL_PROFILE_EXT), if HasExt.
	HasExt     bool
	ExtOptions PollExtOptions // PollExtNu1s, PollExtRTSA, ...
}

// userInfoTag opens the user-information EXTERNAL of the presentation
// layer ([30] constructed, indefinite length, EXTERNAL, indefinite length).
var userInfoTag = []byte{0xBE, 0x80, 0x28, 0x80}

// UserInfo decodes the MDSE user information of an association request or
// response. The presentation layer is not decoded: the user information is
// the EXTERNAL that the guide's messages open with 0xBE 0x80 0x28 0x80,
// followed by an optional direct reference (OID), an optional indirect
// reference (INTEGER) and the octet-aligned encoding (0x81) with its ASN.1
// length, which bounds everything read after it.
func (m *Message) UserInfo() (UserInfo, error) {
	var u UserInfo
	if m.Kind != KindAssocRequest && m.Kind != KindAssocResponse {
		return u, ErrNoUserInfo
	}
	i := bytes.Index(m.UserData, userInfoTag)
	if i < 0 {
		return u, errAt(m.userOff, ErrNoUserInfo)
	}
	r := reader{b: m.UserData[:len(m.UserData):len(m.UserData)], off: i + len(userInfoTag), base: m.userOff}
	if r.peek() == 0x06 { // direct-reference OBJECT IDENTIFIER
		r.u8()
		r.bytes(int(r.u8()))
	}
	if r.peek() == 0x02 { // indirect-reference INTEGER
		r.u8()
		r.bytes(int(r.u8()))
	}
	if tag := r.u8(); r.err == nil && tag != 0x81 {
		r.off--
		r.fail(ErrNoUserInfo)
	}
	ui := r.sub(asnLength(&r))
	if r.err != nil {
		return u, r.err
	}
	u.ProtocolVersion = ProtocolVersion(ui.u32())
	u.NomenclatureVersion = NomenclatureVersion(ui.u32())
	u.FunctionalUnits = ui.u32()
	u.SystemType = SystemType(ui.u32())
	u.StartupMode = StartupMode(ui.u32())
	u.Options = attrList(&ui)
	u.Profiles = attrList(&ui)
	if ui.err != nil {
		return u, ui.err
	}
	profiles := u.Profiles
	for profiles.Next() {
		a := profiles.Attr()
		if a.ID != ProfilePollSupport {
			continue
		}
		u.HasPoll = true
		if err := u.Poll.parse(a); err != nil {
			return u, err
		}
		break
	}
	return u, profiles.Err()
}

func (p *PollProfile) parse(a Attr) error {
	r := a.reader()
	p.Revision = r.u32()
	p.MinPollPeriod = r.u32()
	p.MaxMTURx = r.u32()
	p.MaxMTUTx = r.u32()
	p.MaxBWTx = r.u32()
	p.Options = PollOptions(r.u32())
	p.Packages = attrList(&r)
	if r.err != nil {
		return r.err
	}
	pk := p.Packages
	for pk.Next() {
		if a := pk.Attr(); a.ID == AttrPollProfileExt {
			er := a.reader()
			p.ExtOptions = PollExtOptions(er.u32())
			p.HasExt = er.err == nil
			return er.err
		}
	}
	return pk.Err()
}

// peek returns the next byte without consuming it, or 0 at the end.
func (r *reader) peek() byte {
	if r.err != nil || r.off >= len(r.b) {
		return 0
	}
	return r.b[r.off]
}

// asnLength reads an ASN.1 BER definite length of up to two bytes
// (the guide's ASNLength: L, 0x81 L or 0x82 L L).
func asnLength(r *reader) int {
	n := int(r.u8())
	switch {
	case n < 0x80:
		return n
	case n == 0x81:
		return int(r.u8())
	case n == 0x82:
		return int(r.u16())
	}
	r.off--
	r.fail(ErrLength)
	return 0
}
