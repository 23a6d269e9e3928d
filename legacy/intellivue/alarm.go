package intellivue

// Alert types (AlertType) and states (AlertState) of alarm list entries,
// and the identifiers of their additional information.
const (
	AlertNone       = 0    // NO_ALERT
	AlertLowTech    = 1    // LOW_PRI_T_AL
	AlertMedTech    = 2    // MED_PRI_T_AL
	AlertHighTech   = 4    // HI_PRI_T_AL
	AlertLowPhysio  = 256  // LOW_PRI_P_AL
	AlertMedPhysio  = 512  // MED_PRI_P_AL
	AlertHighPhysio = 1024 // HI_PRI_P_AL

	AlertInhibited     = 0x8000 // AL_INHIBITED
	AlertSuspended     = 0x4000 // AL_SUSPENDED
	AlertLatched       = 0x2000 // AL_LATCHED
	AlertSilencedReset = 0x1000 // AL_SILENCED_RESET
	AlertDevTestMode   = 0x0400 // AL_DEV_IN_TEST_MODE
	AlertDevStandby    = 0x0200 // AL_DEV_IN_STANDBY
	AlertDevDemoMode   = 0x0100 // AL_DEV_IN_DEMO_MODE
	AlertNew           = 0x0008 // AL_NEW_ALERT

	AlarmInfoGeneral = 0x0201 // GEN_ALMON_INFO: AlMonGenInfo
	AlarmInfoString  = 0x0204 // STR_ALMON_INFO: AlMonGenInfo and a string

	AttrAlertCondition = 0x0916 // NOM_ATTR_DEV_AL_COND
)

// Alarm is one entry of a physiological or technical alarm list
// (DevAlarmEntry). Text is a view into the datagram, valid as long as it.
type Alarm struct {
	Source, Code uint16 // al_source (what raised it, e.g. 0x4182 heart rate) and al_code
	Type         uint16 // AlertLowTech ... AlertHighPhysio
	State        uint16 // AlertNew, AlertLatched, ... bits
	// The object the alarm belongs to.
	ObjClass, ObjContext, ObjHandle uint16
	InfoID                          uint16 // AlarmInfoGeneral, AlarmInfoString or another
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
// NOM_ATTR_AL_MON_T_AL_LIST). The zero value is empty.
type AlarmIter struct {
	r    reader
	left int
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

// Next returns the next entry, or false at the end or on a malformed list
// (see Err).
func (it *AlarmIter) Next() (Alarm, bool) {
	if it.left <= 0 || it.r.err != nil {
		return Alarm{}, false
	}
	it.left--
	r := &it.r
	al := Alarm{Source: r.u16(), Code: r.u16(), Type: r.u16(), State: r.u16(),
		ObjClass: r.u16(), ObjContext: r.u16(), ObjHandle: r.u16(), InfoID: r.u16()}
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
	return al, r.err == nil
}

// Err returns the error that stopped the iteration, if any, with the offset
// in the datagram.
func (it *AlarmIter) Err() error { return it.r.err }

// AlertCondition is the alert monitor's summary (NOM_ATTR_DEV_AL_COND,
// DeviceAlertCondition).
type AlertCondition struct {
	State       uint16 // device_alert_state
	ChangeCount uint16 // al_stat_chg_cnt
	MaxPhysio   uint16 // max_p_alarm, an alert type
	MaxTech     uint16 // max_t_alarm
	MaxAudible  uint16 // max_aud_alarm
}

// AlertCondition decodes a NOM_ATTR_DEV_AL_COND attribute; ok is false for
// other attributes.
func (a Attr) AlertCondition() (c AlertCondition, ok bool, err error) {
	if a.ID != AttrAlertCondition {
		return c, false, nil
	}
	r := a.reader()
	c = AlertCondition{State: r.u16(), ChangeCount: r.u16(), MaxPhysio: r.u16(), MaxTech: r.u16(), MaxAudible: r.u16()}
	return c, r.err == nil, r.err
}
