package intellivue

import "encoding/binary"

// This file builds the messages of the Data Export protocol as described in
// Philips' Data Export Interface Programming Guide, for the simulated monitor
// and client of the tests.

func u16(b []byte, v uint16) []byte { return binary.BigEndian.AppendUint16(b, v) }
func u32(b []byte, v uint32) []byte { return binary.BigEndian.AppendUint32(b, v) }

// withLen appends a 16-bit length and then body.
func withLen(b, body []byte) []byte { return append(u16(b, uint16(len(body))), body...) }

// label is a VariableLabel: length, then the bytes padded to an even length.
func label(s string) []byte {
	v := []byte(s)
	if len(v)%2 == 1 {
		v = append(v, 0)
	}
	return withLen(nil, v)
}

// utf16 is an IntelliVue String: length in bytes, then UTF-16BE characters.
func utf16(s string) []byte {
	var v []byte
	for _, c := range s {
		v = u16(v, uint16(c))
	}
	return withLen(nil, v)
}

type ava struct {
	id    AttrID
	value []byte
}

func attrListBytes(attrs ...ava) []byte {
	var body []byte
	for _, a := range attrs {
		body = u16(body, uint16(a.id))
		body = withLen(body, a.value)
	}
	return withLen(u16(nil, uint16(len(attrs))), body)
}

// monitor identity attributes as an MX800 would send them.
func identityAttrs() []ava {
	var model []byte
	model = append(model, label("Philips")...)
	model = append(model, label("MX800")...)
	var spec []byte
	for _, e := range []struct {
		typ ProdSpecType
		v   string
	}{{SpecSerialNumber, "DE12345678"}, {SpecPartNumber, "866471"}, {SpecSWRevision, "M.00.03"}, {SpecProtocolRevision, "3.0"}} {
		spec = u16(spec, uint16(e.typ))
		spec = u16(spec, 0x0008) // component id
		spec = append(spec, label(e.v)...)
	}
	prod := withLen(u16(nil, 4), spec)
	net := []byte{0x00, 0x09, 0xFB, 0x12, 0x34, 0x56, 127, 0, 0, 1, 255, 0, 0, 0}
	return []ava{
		{AttrSystemType, []byte{0x00, 0x01, 0x10, 0x0A}},
		{AttrModel, model},
		{AttrSystemID, label("\x00\x09\xfb\x12\x34\x56")},
		{AttrProductionSpec, prod},
		{AttrBedLabel, utf16("ICU-7")},
		{AttrNetAddr, net},
	}
}

// dataExport wraps a command in SPpdu, ROapdus and an operation APDU.
func dataExport(ro ROType, head []byte, cmd []byte) []byte {
	b := u16(u16(nil, 0xE100), 2) // session id, presentation context
	inner := append(append([]byte(nil), head...), withLen(nil, cmd)...)
	return withLen(u16(b, uint16(ro)), inner)
}

func roivHead(invoke uint16, command Command) []byte { return u16(u16(nil, invoke), uint16(command)) }

func managedObject(class ObjectClass, handle uint16) []byte {
	return u16(u16(u16(nil, uint16(class)), 0), handle)
}

func connectIndication() []byte {
	var ev []byte
	ev = append(ev, managedObject(MOCMDSSingleBed, 0)...)
	ev = u32(ev, 0x00D6D400)
	ev = u16(ev, uint16(NotiConnectIndication))
	ev = withLen(ev, attrListBytes(identityAttrs()...))
	b := u32(nil, 0x00000100) // nomenclature version
	inner := append(roivHead(0, CmdEventReport), withLen(nil, ev)...)
	return withLen(u16(b, uint16(ROInvoke)), inner)
}

func mdsCreate(invoke uint16) []byte {
	var ev []byte
	ev = append(ev, managedObject(MOCMDS, 0)...)
	ev = u32(ev, 0x00123456)
	ev = u16(ev, uint16(NotiMDSCreate))
	info := append(managedObject(MOCMDS, 0), attrListBytes(identityAttrs()...)...)
	ev = withLen(ev, info)
	return dataExport(ROInvoke, roivHead(invoke, CmdConfirmedEventReport), ev)
}

func mdsCreateResult(invoke uint16) []byte {
	var ev []byte
	ev = append(ev, managedObject(MOCMDS, 0)...)
	ev = u32(ev, 0x00123500)
	ev = u16(ev, uint16(NotiMDSCreate))
	ev = u16(ev, 0)
	return dataExport(ROResult, roivHead(invoke, CmdConfirmedEventReport), ev)
}

func pollRequest(invoke, number uint16, objCode ObjectClass, ext bool) []byte {
	var a []byte
	a = append(a, managedObject(MOCMDS, 0)...)
	a = u32(a, 0) // scope
	act := ActPollMDIBData
	if ext {
		act = ActPollMDIBDataExt
	}
	a = u16(a, uint16(act))
	var req []byte
	req = u16(req, number)
	req = u16(req, 1) // NOM_PART_OBJ
	req = u16(req, uint16(objCode))
	req = u16(req, 0) // all attribute groups
	if ext {
		req = append(req, attrListBytes(ava{0xF13E, u32(nil, 0x00001F40)})...) // NOM_ATTR_TIME_PD_POLL
	}
	a = withLen(a, req)
	return dataExport(ROInvoke, roivHead(invoke, CmdConfirmedAction), a)
}

func float(mant int32, exp int8) []byte { return u32(nil, uint32(exp)<<24|uint32(mant)&0xFFFFFF) }

func numeric(physio PhysioID, unit UnitCode, mant int32, exp int8) []byte {
	return append(u16(u16(u16(nil, uint16(physio)), 0), uint16(unit)), float(mant, exp)...)
}

type obs struct {
	handle uint16
	attrs  []ava
}

// pollReply builds a poll result; linked is 0 for a plain RORS or the
// linked state for ROLRS.
func pollReply(invoke, number uint16, objCode ObjectClass, ext bool, linked LinkedState, count uint8, observations ...obs) []byte {
	var a []byte
	a = append(a, managedObject(MOCMDS, 0)...)
	act := ActPollMDIBData
	if ext {
		act = ActPollMDIBDataExt
	}
	a = u16(a, uint16(act))
	var rep []byte
	rep = u16(rep, number)
	if ext {
		rep = u16(rep, uint16(count))
	}
	rep = u32(rep, 0x0A0B0C0D)
	rep = append(rep, 0x20, 0x24, 0x06, 0x27, 0x13, 0x54, 0x07, 0x00)
	rep = u16(rep, 1)
	rep = u16(rep, uint16(objCode))
	rep = u16(rep, 0)
	// One context holding every observation.
	var ctx []byte
	ctx = u16(ctx, 0) // context id
	var polls []byte
	for _, o := range observations {
		polls = u16(polls, o.handle)
		polls = append(polls, attrListBytes(o.attrs...)...)
	}
	ctx = withLen(u16(ctx, uint16(len(observations))), polls)
	rep = withLen(u16(rep, 1), ctx)
	a = withLen(a, rep)
	if linked == 0 {
		return dataExport(ROResult, roivHead(invoke, CmdConfirmedAction), a)
	}
	return dataExport(ROLinkedResult, append([]byte{byte(linked), count}, roivHead(invoke, CmdConfirmedAction)...), a)
}

func numericObservations() []obs {
	return []obs{
		{0x0101, []ava{{AttrLabel, u32(nil, 0x00024182)}, {AttrNumeric, numeric(0x4182, 0x0AA0, 72, 0)}}},                                                                                                   // HR 72 bpm
		{0x0102, []ava{{AttrLabel, u32(nil, 0x00024BB8)}, {AttrNumeric, numeric(0x4BB8, 0x0220, 975, -1)}}},                                                                                                 // SpO2 97.5 %
		{0x0103, []ava{{AttrNumericCompound, append(u16(nil, 3), withLen(nil, append(append(numeric(0x4A05, 0x0F20, 120, 0), numeric(0x4A06, 0x0F20, 80, 0)...), numeric(0x4A07, 0x0F20, 93, 0)...))...)}}}, // NBP
		{0x0104, []ava{{AttrNumeric, numeric(0x4B48, 0x17A0, 372, -1)}}},                                                                                                                                    // Temp 37.2 °C
		{0x0105, []ava{{AttrNumeric, numeric(0x500A, 0x0AE0, 16, 0)}}},                                                                                                                                      // RR 16 rpm
		{0x0106, []ava{{AttrNumeric, append(u16(u16(u16(nil, 0x50B0), uint16(MsmtUnavailable)), 0x0F20), 0, 0x7F, 0xFF, 0xFF)}}},                                                                            // etCO2, no value (NaN)
	}
}

// alarmEntry is a DevAlarmEntry raised by the heart rate numeric 0x0101;
// text "" gives GEN_ALMON_INFO, otherwise STR_ALMON_INFO with the string.
func alarmEntry(code uint16, typ AlertType, state AlertState, text string) []byte {
	var e []byte
	e = u16(e, 0x4182)        // al_source NOM_ECG_CARD_BEAT_RATE
	e = u16(e, code)          // al_code
	e = u16(e, uint16(typ))   // al_type
	e = u16(e, uint16(state)) // al_state
	e = append(e, managedObject(MOCNumeric, 0x0101)...)
	var info []byte
	info = u16(info, 1)          // al_inst_no
	info = u32(info, 0x00024182) // al_text: the HR label
	info = u16(info, 2)          // priority
	info = u16(info, 0x4000)     // flags BEDSIDE_AUDIBLE
	if text == "" {
		e = u16(e, uint16(AlarmInfoGeneral))
	} else {
		e = u16(e, uint16(AlarmInfoString))
		info = append(info, utf16(text)...)
	}
	return withLen(e, info)
}

func alarmObservations() []obs {
	list := append(u16(nil, 2), withLen(nil, append(alarmEntry(0xF0B2, AlertHighPhysio, AlertNew, "**HR 150 > 120"), alarmEntry(0xF0B4, AlertMedPhysio, AlertLatched, "")...))...)
	cond := []byte{0x00, 0x00, 0x00, 0x05, 0x04, 0x00, 0x00, 0x00, 0x04, 0x00} // state, change count 5, max P HI, max T none, max audible HI
	return []obs{{0x0001, []ava{{AttrAlertCondition, cond}, {AttrAlarmListPhys, list}, {AttrAlarmListTech, append(u16(nil, 0), withLen(nil, nil)...)}}}}
}

// demographicsObservations is the patient demographics object of a
// monitor with an admitted adult patient.
func demographicsObservations() []obs {
	return []obs{{0x0010, []ava{
		{AttrPatientState, u16(nil, uint16(PatientAdmitted))},
		{AttrPatientGiven, utf16("Jane")},
		{AttrPatientFamily, utf16("Doe")},
		{AttrPatientID, utf16("MRN0042")},
		{AttrPatientDOB, []byte{0x19, 0x80, 0x02, 0x29, 0, 0, 0, 0}},
		{AttrPatientSex, u16(nil, uint16(SexFemale))},
		{AttrPatientType, u16(nil, uint16(PatientAdult))},
	}}}
}

// waveObservations are two ECG lead II sample arrays of 32 samples of 16
// bits, 12 significant, with the scale that maps 0..4095 to -40..40 mV
// as the SaSpec and ScaleRangeSpec16 attributes of the guide describe.
func waveObservations() []obs {
	samples := make([]byte, 64)
	for i := 0; i < 32; i++ {
		binary.BigEndian.PutUint16(samples[2*i:], uint16(0xF000|i*128)) // high bits set: not significant
	}
	sa := append(u16(u16(nil, 0x0102), 0), withLen(nil, samples)...)
	spec := []byte{0x00, 0x20, 16, 12, 0x80, 0x00}                                  // 32 samples, 16 bits, 12 significant, SMOOTH_CURVE
	scale := append(append(float(-40, 0), float(40, 0)...), 0x00, 0x00, 0x0f, 0xff) // -40..40 for 0..4095
	return []obs{
		{0x0201, []ava{{AttrSampleSpec, spec}, {AttrScaleRange, scale}, {AttrWave, sa}}},
		{0x0202, []ava{{AttrWave, sa}}},
	}
}

// getRequest asks the MDS for attributes (GetArgument).
func getRequest(invoke uint16, ids ...AttrID) []byte {
	var a []byte
	a = append(a, managedObject(MOCMDS, 0)...)
	a = u32(a, 0) // scope
	var list []byte
	for _, id := range ids {
		list = u16(list, uint16(id))
	}
	a = withLen(u16(a, uint16(len(ids))), list)
	return dataExport(ROInvoke, roivHead(invoke, CmdGet), a)
}

// getResult answers a GET with the attributes of the MDS (GetResult).
func getResult(invoke uint16, command Command, attrs ...ava) []byte {
	a := append(managedObject(MOCMDS, 0), attrListBytes(attrs...)...)
	return dataExport(ROResult, roivHead(invoke, command), a)
}

// setRequest is a confirmed SET with REPLACE entries (SetArgument).
func setRequest(invoke uint16, attrs ...ava) []byte {
	var a []byte
	a = append(a, managedObject(MOCMDS, 0)...)
	a = u32(a, 0) // scope
	var list []byte
	for _, at := range attrs {
		list = u16(list, uint16(ModReplace))
		list = u16(list, uint16(at.id))
		list = withLen(list, at.value)
	}
	a = withLen(u16(a, uint16(len(attrs))), list)
	return dataExport(ROInvoke, roivHead(invoke, CmdConfirmedSet), a)
}

// attrPollNuPrioList is NOM_ATTR_POLL_NU_PRIO_LIST: the numerics a client
// wants first (TextIdList of labels).
const attrPollNuPrioList AttrID = 0xF239

func prioList() []byte {
	return append(u16(u16(nil, 2), 8), 0x00, 0x02, 0x41, 0x82, 0x00, 0x02, 0x4b, 0xb8) // HR, SpO2 labels
}

// getAnswer picks the identity attributes a GET asks for (all when none).
func getAnswer(g GetRequest) []ava {
	all := identityAttrs()
	if g.IDs.Len() == 0 {
		return all
	}
	var out []ava
	for g.IDs.Next() {
		id := g.IDs.ID()
		for _, a := range all {
			if a.id == id {
				out = append(out, a)
			}
		}
	}
	return out
}

func roError(invoke uint16, value ErrorValue) []byte {
	return dataExport(ROError, u16(u16(nil, invoke), uint16(value)), nil)
}

// Association control messages: the SPDU identifier, a length indicator
// and opaque session, presentation and user data (MDSEUserInfoStd) bytes.
func session(spdu SPDU, data []byte) []byte {
	if len(data) < 0xFF {
		return append([]byte{byte(spdu), byte(len(data))}, data...)
	}
	return append(u16([]byte{byte(spdu), 0xFF}, uint16(len(data))), data...)
}

// mdseUserInfo is an MDSEUserInfoStd as the guide's association request
// (client) and response (monitor) carry it.
func mdseUserInfo(client bool) []byte {
	var ui []byte
	ui = u32(ui, uint32(ProtocolMDDLVersion1)) // protocol_version
	ui = u32(ui, uint32(NomenclatureVersion1)) // nomenclature_version
	ui = u32(ui, 0)                            // functional_units
	if client {
		ui = u32(ui, uint32(SystemClient)) // system_type
	} else {
		ui = u32(ui, uint32(SystemServer))
	}
	ui = u32(ui, uint32(StartupCold))   // startup_mode
	ui = append(ui, attrListBytes()...) // option_list: empty
	var pp []byte
	pp = u32(pp, 0x80000000) // poll_profile_revision POLL_PROFILE_REV_0
	pp = u32(pp, 0x00000FA0) // min_poll_period: 4000/8 ms
	pp = u32(pp, 0x000005B0) // max_mtu_rx 1456
	pp = u32(pp, 0x000005B0) // max_mtu_tx
	pp = u32(pp, 0xFFFFFFFF) // max_bw_tx: no limit
	pp = u32(pp, uint32(PollOptDynCreate|PollOptDynDelete))
	ext := append(u32(nil, uint32(PollExtNu1s|PollExtRTSA|PollExtEnum)), attrListBytes()...) // PollProfileExt
	pp = append(pp, attrListBytes(ava{AttrPollProfileExt, ext})...)                          // optional_packages
	return append(ui, attrListBytes(ava{ProfilePollSupport, pp})...)                         // supported_aprofiles
}

// asn appends an ASN.1 BER definite length (the guide's ASNLength).
func asn(b []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(b, byte(n))
	case n < 0x100:
		return append(b, 0x81, byte(n))
	}
	return u16(append(b, 0x82), uint16(n))
}

// presentation wraps user data in the presentation layer of the guide's
// association request (CP-type) or response (CPA-type): header, the user
// information EXTERNAL with its ASN.1 length, and the trailer of
// end-of-contents octets.
func presentation(client bool, ui []byte) []byte {
	var p []byte
	if client {
		p = append(p, 0x31, 0x80, 0xA0, 0x80, 0x80, 0x01, 0x01, 0x00, 0x00, 0xA2, 0x80, 0xA0, 0x03, 0x00, 0x00, 0x01,
			0xA4, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0x06, 0x04, 0x52, 0x01, 0x00, 0x01, 0x30, 0x80, 0x06, 0x02, 0x51,
			0x01, 0x00, 0x00, 0x00, 0x00, 0x30, 0x80, 0x02, 0x01, 0x02, 0x06, 0x0C, 0x2A, 0x86, 0x48, 0xCE, 0x14, 0x02,
			0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x30, 0x80, 0x06, 0x0C, 0x2A, 0x86, 0x48, 0xCE, 0x14, 0x02, 0x01, 0x00,
			0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xA0,
			0x80, 0x60, 0x80, 0xA1, 0x80, 0x06, 0x0C, 0x2A, 0x86, 0x48, 0xCE, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x03,
			0x01, 0x00, 0x00)
		// user-information EXTERNAL, direct reference (the MDSE OID),
		// indirect reference 2, octet-aligned
		p = append(p, 0xBE, 0x80, 0x28, 0x80, 0x06, 0x0C, 0x2A, 0x86, 0x48, 0xCE, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00,
			0x01, 0x01, 0x02, 0x01, 0x02, 0x81)
	} else {
		p = append(p, 0x31, 0x80, 0xA0, 0x80, 0x80, 0x01, 0x01, 0x00, 0x00, 0xA2, 0x80, 0xA0, 0x03, 0x00, 0x00, 0x01,
			0xA5, 0x80, 0x30, 0x80, 0x80, 0x01, 0x00, 0x81, 0x02, 0x51, 0x01, 0x00, 0x00, 0x00, 0x00, 0x61, 0x80, 0x30,
			0x80, 0x02, 0x01, 0x01, 0xA0, 0x80, 0x61, 0x80, 0xA1, 0x80, 0x06, 0x0C, 0x2A, 0x86, 0x48, 0xCE, 0x14, 0x02,
			0x01, 0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0xA2, 0x03, 0x02, 0x01, 0x00, 0xA3, 0x05, 0xA1, 0x03, 0x02,
			0x01, 0x00)
		// user-information EXTERNAL, indirect reference 2, octet-aligned
		p = append(p, 0xBE, 0x80, 0x28, 0x80, 0x02, 0x01, 0x02, 0x81)
	}
	p = asn(p, len(ui))
	p = append(p, ui...)
	p = append(p, make([]byte, 16)...) // end-of-contents of the open constructions
	// presentation header: CP-type or CPA-type tag 0xC1 and its length
	if len(p) < 0xFF {
		return append([]byte{0xC1, byte(len(p))}, p...)
	}
	return append(u16([]byte{0xC1, 0xFF}, uint16(len(p))), p...)
}

// assocUserData is the data after the session header of an association
// request (client) or response: session data, then presentation.
func assocUserData(client bool) []byte {
	if client {
		// session data: protocol options, version, user requirements
		return append([]byte{0x05, 0x08, 0x13, 0x01, 0x00, 0x16, 0x01, 0x02, 0x80, 0x00, 0x14, 0x02, 0x00, 0x02},
			presentation(true, mdseUserInfo(true))...)
	}
	return append([]byte{0x05, 0x08, 0x13, 0x01, 0x00, 0x16, 0x01, 0x02, 0x80, 0x00, 0x14, 0x02, 0x00, 0x02},
		presentation(false, mdseUserInfo(false))...)
}
