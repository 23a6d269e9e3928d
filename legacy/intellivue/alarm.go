package intellivue

// Alarm is one entry of a physiological or technical alarm list
// (DevAlarmEntry). Text is a view into the datagram, valid as long as it.
type Alarm struct {
	Source PhysioID   // al_source: what raised it, e.g. 0x4182 heart rate
	Code   uint16     // al_code, an alert code (NOM_EVT_...)
	Type   AlertType  // AlertLowTech ... AlertHighPhysio
	State  AlertState // AlertNew, AlertLatched, ... bits
	// The object the alarm belongs to.
	ObjClass              ObjectClass
	ObjContext, ObjHandle uint16
	InfoID                AlarmInfoID // AlarmInfoGeneral, AlarmInfoString or another
	// From AlMonGenInfo, when InfoID is AlarmInfoGeneral or AlarmInfoString.
	Instance uint16 // al_inst_no
	TextID   uint32 // al_text, a label code
	Priority uint16
	Flags    uint16
	// The alarm string of AlarmInfoString entries, UTF-16BE as the monitor
	// shows it ("**HR 150 > 120"); see AppendUTF16.
	Text []byte
}

// AlarmIter walks the entries of a DevAlarmList (NOM_ATTR_AL_MON_P_AL_LIST or
// NOM_ATTR_AL_MON_T_AL_LIST):
//
//	it := a.Alarms()
//	for it.Next() {
//		al := it.Alarm()
//		...
//	}
//	if err := it.Err(); err != nil { ... }
//
// The zero value is empty.
type AlarmIter struct {
	r    reader
	left int
	cur  Alarm
}

// Alarms returns an iterator over an alarm list attribute's entries; it is
// empty for other attributes.
func (a Attr) Alarms() AlarmIter {
	if a.ID != AttrAlarmListPhys && a.ID != AttrAlarmListTech {
		return AlarmIter{}
	}
	r := a.reader()
	n := int(r.u16())
	return AlarmIter{r: r.sub(int(r.u16())), left: n}
}

// Next advances to the next entry, which [AlarmIter.Alarm] then returns. It
// returns false at the end or on a malformed list (see Err).
func (it *AlarmIter) Next() bool {
	if it.left <= 0 || it.r.err != nil {
		it.cur = Alarm{}
		return false
	}
	it.left--
	r := &it.r
	al := Alarm{Source: PhysioID(r.u16()), Code: r.u16(), Type: AlertType(r.u16()), State: AlertState(r.u16()),
		ObjClass: ObjectClass(r.u16()), ObjContext: r.u16(), ObjHandle: r.u16(), InfoID: AlarmInfoID(r.u16())}
	info := r.sub(int(r.u16()))
	if al.InfoID == AlarmInfoGeneral || al.InfoID == AlarmInfoString {
		al.Instance = info.u16()
		al.TextID = info.u32()
		al.Priority = info.u16()
		al.Flags = info.u16()
		if al.InfoID == AlarmInfoString {
			al.Text = stringLabel(&info)
		}
		if info.err != nil {
			r.err = info.err
		}
	}
	if r.err != nil {
		it.cur = Alarm{}
		return false
	}
	it.cur = al
	return true
}

// Alarm returns the entry Next advanced to; its Text is a view into the
// datagram.
func (it *AlarmIter) Alarm() Alarm { return it.cur }

// Err returns the error that stopped the iteration, if any, with the offset
// in the datagram.
func (it *AlarmIter) Err() error { return it.r.err }

// AlertCondition is the alert monitor's summary (NOM_ATTR_DEV_AL_COND,
// DeviceAlertCondition).
type AlertCondition struct {
	State       AlertState // device_alert_state
	ChangeCount uint16     // al_stat_chg_cnt
	MaxPhysio   AlertType  // max_p_alarm
	MaxTech     AlertType  // max_t_alarm
	MaxAudible  AlertType  // max_aud_alarm
}

// AlertCondition decodes a NOM_ATTR_DEV_AL_COND attribute; ok is false for
// other attributes.
func (a Attr) AlertCondition() (c AlertCondition, ok bool, err error) {
	if a.ID != AttrAlertCondition {
		return c, false, nil
	}
	r := a.reader()
	c = AlertCondition{State: AlertState(r.u16()), ChangeCount: r.u16(), MaxPhysio: AlertType(r.u16()),
		MaxTech: AlertType(r.u16()), MaxAudible: AlertType(r.u16())}
	return c, r.err == nil, r.err
}
