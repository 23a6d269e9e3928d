package intellivue

import (
	"fmt"
	"testing"
)

// alarmList is a NOM_ATTR_AL_MON_P_AL_LIST attribute list entry holding one
// DevAlarmEntry with a StrAlMonInfo, as the guide lays it out.
var alarmList = []byte{
	0x00, 0x01, 0x00, 0x30, // attribute list: count 1, length 48
	0x09, 0x02, 0x00, 0x2c, // NOM_ATTR_AL_MON_P_AL_LIST, length 44
	0x00, 0x01, 0x00, 0x28, // DevAlarmList: count 1, length 40
	0x4b, 0xb8, // al_source NOM_PULS_OXIM_SAT_O2
	0xf0, 0x2c, // al_code
	0x02, 0x00, // al_type MED_PRI_P_AL
	0x20, 0x08, // al_state AL_LATCHED | AL_NEW_ALERT
	0x00, 0x06, 0x00, 0x00, 0x01, 0x02, // object: NOM_MOC_VMO_METRIC_NU, context 0, handle 0x102
	0x02, 0x04, // alert_info_id STR_ALMON_INFO
	0x00, 0x16, // length 22
	0x00, 0x03, // al_inst_no
	0x00, 0x02, 0x4b, 0xb8, // al_text: the SpO2 label
	0x00, 0x01, // priority
	0x20, 0x00, // flags CENTRAL_AUDIBLE
	0x00, 0x0a, // String: length 10
	0x00, 0x53, 0x00, 0x70, 0x00, 0x4f, 0x00, 0x32, 0x00, 0x00, // "SpO2" and a NUL
}

func TestAlarms(t *testing.T) {
	r := reader{b: alarmList}
	list := attrList(&r)
	list.Next()
	it := list.Attr().Alarms()
	if !it.Next() {
		t.Fatal(it.Err())
	}
	al := it.Alarm()
	want := Alarm{Source: 0x4BB8, Code: 0xF02C, Type: AlertMedPhysio, State: AlertLatched | AlertNew,
		ObjClass: MOCNumeric, ObjHandle: 0x0102, InfoID: AlarmInfoString, Instance: 3, TextID: 0x00024BB8,
		Priority: 1, Flags: 0x2000}
	text := string(AppendUTF16(nil, al.Text))
	al.Text, want.Text = nil, nil
	if fmt.Sprint(al) != fmt.Sprint(want) || text != "SpO2" {
		t.Errorf("got %+v %q\nwant %+v", al, text, want)
	}
	if it.Next() || it.Err() != nil {
		t.Errorf("a second entry: %v", it.Err())
	}

	for _, tt := range []struct {
		name string
		at   int
		v    byte
		want error
		off  int64
	}{
		{"info length beyond the list", 29, 0x30, ErrLength, 30},
		{"string beyond the info", 41, 0x0c, ErrLength, 42},
		{"info too short for AlMonGenInfo", 29, 0x04, ErrTruncated, 32},
		{"entry count beyond the list", 9, 2, ErrTruncated, 52},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := append([]byte(nil), alarmList...)
			b[tt.at] = tt.v
			r := reader{b: b}
			list := attrList(&r)
			list.Next()
			it := list.Attr().Alarms()
			for it.Next() {
			}
			if !isErrAt(it.Err(), tt.want, tt.off) {
				t.Errorf("got %v, want %v at offset %d", it.Err(), tt.want, tt.off)
			}
		})
	}
}

// demographics is a poll reply observation of a NOM_MOC_PT_DEMOG object.
var demographics = []byte{
	0x00, 0x10, // handle
	0x00, 0x05, 0x00, 0x30, // attribute list: count 5, length 48
	0x09, 0x5d, 0x00, 0x0a, // NOM_ATTR_PT_NAME_GIVEN, length 10
	0x00, 0x08, 0x00, 0x41, 0x00, 0x6e, 0x00, 0x6e, 0x00, 0x00, // String "Ann" and a NUL
	0x09, 0x5c, 0x00, 0x06, // NOM_ATTR_PT_NAME_FAMILY, length 6
	0x00, 0x04, 0x4e, 0x00, 0x00, 0x00, // String "一" (0x4E00) and a NUL
	0x09, 0x58, 0x00, 0x08, // NOM_ATTR_PT_DOB, length 8
	0x20, 0x24, 0x01, 0x15, 0x00, 0x00, 0x00, 0x00, // 2024-01-15
	0x09, 0x61, 0x00, 0x02, 0x00, 0x01, // NOM_ATTR_PT_SEX MALE
	0x09, 0x62, 0x00, 0x02, 0x00, 0x03, // NOM_ATTR_PT_TYPE NEONATAL
}

func TestDemographics(t *testing.T) {
	r := reader{b: demographics}
	o := Observation{Handle: r.u16(), Attrs: attrList(&r)}
	d, err := o.Demographics()
	if err != nil {
		t.Fatal(err)
	}
	if g, f := string(AppendUTF16(nil, d.GivenName)), string(AppendUTF16(nil, d.FamilyName)); g != "Ann" || f != "一" ||
		len(d.PatientID) != 0 || string(d.DOB) != "\x20\x24\x01\x15\x00\x00\x00\x00" ||
		!d.HasSex || d.Sex != SexMale || !d.HasType || d.Type != PatientNeonatal || d.HasState {
		t.Errorf("got %+v (%q %q)", d, g, f)
	}
	// The iterator of the observation is not advanced.
	if !o.Attrs.Next() || o.Attrs.Attr().ID != AttrPatientGiven {
		t.Error("Demographics advanced the observation's iterator")
	}
	// A DOB shorter than an AbsoluteTime.
	b := append([]byte(nil), demographics...)
	b[33] = 4
	b[5] -= 4
	b = append(b[:38], b[42:]...)
	r = reader{b: b}
	o = Observation{Handle: r.u16(), Attrs: attrList(&r)}
	if _, err := o.Demographics(); !isErrAt(err, ErrLength, 34) {
		t.Errorf("short DOB: %v", err)
	}
}
